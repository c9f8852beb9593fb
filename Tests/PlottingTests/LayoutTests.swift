import Testing

@testable import Plotting

@Suite struct LayoutTests {
  private func grid(sharedX: Bool, sharedY: Bool) -> Figure {
    let panels = (0..<5).map { (i: Int) -> Panel in
      let top = Double(i + 1)
      let series = Series.scatter(x: [0, top], y: [0, 10 * top])
      return Panel(title: "panel \(i)", xLabel: "x", yLabel: "y", series: [series])
    }
    return Figure(width: 700, height: 500, panels: panels, columns: 3, sharedX: sharedX, sharedY: sharedY)
  }

  @Test func sharedAxesShowLabelsOnlyOnOuterPanels() throws {
    let frames = try ImageInspection.layout(of: grid(sharedX: true, sharedY: true)).frames
    // Grid of 3 columns: panels 0 1 2 / 3 4. Panel 2 has nothing below it.
    #expect(frames.map(\.showYTickLabels) == [true, false, false, true, false])
    #expect(frames.map(\.showXTickLabels) == [false, false, true, true, true])
    #expect(Set(frames.map(\.xLimits)).count == 1)
    #expect(Set(frames.map(\.yLimits)).count == 1)
    #expect(frames[0].yLimits.upperBound >= 50)
  }

  @Test func independentAxesKeepTheirOwnLimits() throws {
    let frames = try ImageInspection.layout(of: grid(sharedX: false, sharedY: false)).frames
    #expect(frames.allSatisfy { $0.showXTickLabels && $0.showYTickLabels })
    #expect(Set(frames.map(\.yLimits)).count == 5)
  }

  @Test func gridPanelsHaveEqualSizesAndDoNotOverlap() throws {
    for shared in [false, true] {
      let frames = try ImageInspection.layout(of: grid(sharedX: shared, sharedY: shared)).frames
      let sizes = Set(frames.map { "\($0.rect.width)x\($0.rect.height)" })
      #expect(sizes.count == 1)
      for i in frames.indices {
        for j in frames.indices where i < j {
          #expect(!frames[i].rect.intersects(frames[j].rect))
        }
        #expect(frames[i].rect.minX > 0 && frames[i].rect.maxX < 700)
        #expect(frames[i].rect.minY > 0 && frames[i].rect.maxY < 500)
      }
    }
  }

  @Test func equalAspectGivesOneScaleOnBothAxes() throws {
    let panel = Panel(equalAspect: true, series: [.scatter(x: [0, 30], y: [-2, 2])])
    let frame = try #require(try ImageInspection.layout(of: Figure(width: 500, height: 400, panels: [panel])).frames.first)
    let perPxX = (frame.xLimits.upperBound - frame.xLimits.lowerBound) / frame.rect.width
    let perPxY = (frame.yLimits.upperBound - frame.yLimits.lowerBound) / frame.rect.height
    // Both are computed from the same product; only rounding separates them.
    #expect(abs(perPxX - perPxY) <= 1e-12 * perPxX)
    #expect(frame.xLimits.contains(0) && frame.xLimits.contains(30))
    #expect(frame.yLimits.contains(-2) && frame.yLimits.contains(2))
  }

  @Test func fixedLimitsAreKept() throws {
    let panel = Panel(xLimits: -5...25, yLimits: -8...8, series: [.scatter(x: [100], y: [100])])
    let frame = try #require(try ImageInspection.layout(of: Figure(panels: [panel])).frames.first)
    #expect(frame.xLimits == -5...25 && frame.yLimits == -8...8)
  }

  @Test func autoLegendMovesBelowWhenEveryCornerHoldsData() throws {
    // A dense uniform cloud fills every corner of the plot area.
    let cloud = ImageInspection.cluster(n: 3000, center: (0, 0), spread: 2, seed: 5)
    let figure = Figure(panels: [Panel(series: [.scatter(points: cloud, label: "cloud")])])
    let canvas = try CairoCanvas.image(width: 1, height: 1)
    let below = try #require(FigureLayout(figure: figure, canvas: canvas, placement: .below).frames.first)
    let image = try RasterImage(png: Renderer.png(figure, scale: 1))
    // The legend swatch (blue) appears under the x tick labels, in the band left for it.
    let band = ImageInspection.count(
      in: image, x: 0..<image.width, y: Int(below.rect.maxY + 20)..<image.height,
      where: ImageInspection.isBluish)
    #expect(band > 10)
  }
}
