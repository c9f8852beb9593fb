import Testing

@testable import Plotting

/// Bad or empty data must still give a readable figure: axes drawn, no crash, notes
/// counting what could not be shown.
@Suite struct DegenerateInputTests {
  private static let cases: [(name: String, series: [Series])] = [
    ("empty", [.scatter(x: [], y: [], label: "none")]),
    ("no series", []),
    ("one point", [.scatter(x: [3], y: [-2], label: "one")]),
    ("all equal", [.line(x: [0, 1, 2], y: [5, 5, 5], label: "flat")]),
    ("all equal x and y", [.scatter(x: [1, 1, 1], y: [1, 1, 1])]),
    ("only NaN/inf", [.line(x: [.nan, 1, .infinity], y: [.infinity, .nan, 2])]),
    ("huge outlier", [.scatter(x: [1e6] + (0..<100).map { Double($0) / 10 }, y: [1e6] + (0..<100).map { Double($0 % 7) })]),
    ("all huge", [.scatter(x: [1e300, 2e300], y: [-1e300, 1e300])]),
    ("band with gaps", [.band(x: [0, 1, 2, 3], lower: [0, .nan, 1, 1], upper: [1, 2, 2, .infinity])]),
    ("reference line only", [.horizontalLine(y: 0.693, label: "ln 2")]),
  ]

  @Test(arguments: cases.indices)
  func rendersWithAxes(caseIndex: Int) throws {
    let testCase = Self.cases[caseIndex]
    let figure = Figure(
      width: 300, height: 220, title: testCase.name,
      panels: [Panel(xLabel: "x", yLabel: "y", series: testCase.series)])
    let scale = 2.0
    let image = try RasterImage(png: Renderer.png(figure, scale: scale))
    #expect(image.width == 600 && image.height == 440)
    let svg = try Renderer.svg(figure)
    #expect(String(decoding: svg, as: UTF8.self).hasSuffix("</svg>\n"))

    // The frame is a proper rectangle inside the figure, with finite, increasing limits.
    let frame = try #require(try ImageInspection.layout(of: figure).frames.first)
    #expect(frame.rect.width > 100 && frame.rect.height > 80, "\(testCase.name)")
    #expect(frame.xLimits.lowerBound.isFinite && frame.xLimits.upperBound > frame.xLimits.lowerBound)
    #expect(frame.yLimits.lowerBound.isFinite && frame.yLimits.upperBound > frame.yLimits.lowerBound)
    #expect(frame.xTicks.positions.count >= 2)
    #expect(frame.yTicks.positions.count >= 2)

    // The left spine: along the plot area's left edge every row has a dark pixel.
    let x = Int((frame.rect.minX * scale).rounded())
    var spine = 0
    for y in Int(frame.rect.minY * scale + 2)..<Int(frame.rect.maxY * scale - 2) {
      var darkest = 765
      for column in (x - 2)...(x + 1) {
        darkest = min(darkest, ImageInspection.brightness(image[column, y]))
      }
      if darkest < 3 * 120 { spine += 1 }
    }
    #expect(spine >= Int(frame.rect.height * scale) - 4, "\(testCase.name): axes drawn")
  }

  @Test func hugeOutlierDoesNotSquashTheData() throws {
    let xs = [1e6] + (0..<100).map { Double($0) / 10 }
    let figure = Figure(panels: [Panel(series: [.scatter(x: xs, y: xs)])])
    let frame = try #require(try ImageInspection.layout(of: figure).frames.first)
    #expect(frame.xLimits.upperBound < 20 && frame.yLimits.upperBound < 20)
    #expect(frame.xLimits.lowerBound < 0 && frame.xLimits.upperBound > 9.9)
  }

  @Test func outsideAndNonFiniteValuesAreCounted() throws {
    let canvas = try CairoCanvas.image(width: 10, height: 10)
    let panel = Panel(
      xLimits: 0...1, yLimits: 0...1,
      series: [
        .scatter(x: [0.5, 2, -1, .nan, 0.2], y: [0.5, 0.5, 0.5, 0.5, .infinity]),
        .line(x: [0, 0.5, 1], y: [0, 3, 1]),
      ])
    let content = PanelContent(panel: panel)
    #expect(content.nonFiniteCount == 2)
    var marks = MarkDrawer(
      canvas: canvas,
      transform: DataTransform(rect: Rect(x: 0, y: 0, width: 10, height: 10), x: 0...1, y: 0...1))
    for item in content.items { marks.draw(item) }
    #expect(marks.scatterOutside == 2)
    #expect(marks.lineOutside == 1)
  }

  @Test func lineClippingKeepsTheVisiblePart() throws {
    let window = (x: 0.0...10.0, y: 0.0...10.0)
    let clipped = try #require(MarkDrawer.clip(from: (5, 5), to: (5, 1e9), window: window))
    #expect(clipped.0 == (5, 5) && clipped.1 == (5, 10))
    #expect(MarkDrawer.clip(from: (-5, -5), to: (-1, 20), window: window) == nil)
    let diagonal = try #require(MarkDrawer.clip(from: (-10, -10), to: (20, 20), window: window))
    #expect(diagonal.0 == (0, 0) && diagonal.1 == (10, 10))
  }
}
