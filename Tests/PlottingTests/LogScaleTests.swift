import Testing

@testable import Plotting

@Suite struct LogScaleTests {
  @Test func decadeTicksWithPlainAndPowerLabels() {
    // log10 limits −2.3 … 0.7: powers 10⁻², 10⁻¹, 10⁰.
    let ticks = AxisTicks.decades(-2.3...0.7, targetCount: 5)
    #expect(ticks.positions == [0.01, 0.1, 1])
    #expect(ticks.labels == ["0.01", "0.1", "1"])
    // Minor ticks 2…9 × 10ⁿ inside the range: 0.006…0.009 (4), 0.02…0.09 (8), 0.2…0.9 (8), 2…5 (4).
    #expect(ticks.minorPositions.count == 24)
    #expect(NiceTicks.powerOfTenLabel(-5) == "10⁻⁵" && NiceTicks.powerOfTenLabel(6) == "10⁶")
  }

  @Test func manyDecadesAreThinned() {
    let ticks = AxisTicks.decades(-12...12, targetCount: 6)
    #expect(ticks.positions.count <= 6 && ticks.positions.count >= 2)
    #expect(ticks.minorPositions.isEmpty)
    #expect(ticks.labels.contains("1"))
  }

  @Test func logAxisPlacesDecadesEvenly() throws {
    let panel = Panel(yScale: .log, series: [.line(x: [0, 1, 2], y: [0.001, 0.1, 10])])
    let frame = try #require(try ImageInspection.layout(of: Figure(panels: [panel])).frames.first)
    let t = frame.transform
    // Equal ratios, equal distances: 0.001→0.1 and 0.1→10 are both two decades.
    let lower = t.py(0.001) - t.py(0.1), upper = t.py(0.1) - t.py(10)
    #expect(abs(lower - upper) < 1e-9 * abs(lower))
    #expect(frame.yLimits.lowerBound > 0 && frame.yLimits.lowerBound < 0.001)
    #expect(frame.yTicks.labels.contains("0.1") && frame.yTicks.labels.contains("10"))
  }

  @Test func nonPositiveValuesAreLeftOffAndCounted() throws {
    let panel = Panel(yScale: .log, series: [.scatter(x: [0, 1, 2, 3], y: [-1, 0, 0.5, 5])])
    let content = PanelContent(panel: panel)
    #expect(content.nonPositiveCount == 2)
    let frame = try #require(try ImageInspection.layout(of: Figure(panels: [panel])).frames.first)
    #expect(frame.yLimits.lowerBound > 0.3 && frame.yLimits.upperBound < 8)
    let image = try RasterImage(png: Renderer.png(Figure(panels: [panel]), scale: 1))
    #expect(image.width == 640)
  }

  @Test func invalidFixedLimitsOnLogAxisFallBackToAutomatic() throws {
    let panel = Panel(yLimits: -1...10, yScale: .log, series: [.line(x: [0, 1], y: [1, 100])])
    let frame = try #require(try ImageInspection.layout(of: Figure(panels: [panel])).frames.first)
    #expect(frame.yLimits.lowerBound > 0 && frame.yLimits.lowerBound <= 1 && frame.yLimits.upperBound >= 100)
  }
}
