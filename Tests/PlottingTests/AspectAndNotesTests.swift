import Testing

@testable import Plotting

@Suite struct AspectAndNotesTests {
  private let limits = AxisLimits(x: -6...24, y: -9...9)

  private func banana(seed: UInt64) -> [Double] {
    ImageInspection.cluster(n: 400, center: (4, 0), spread: 12, seed: seed)
  }

  @Test func fixedLimitsAreDrawnExactlyOnEqualAspectPanels() throws {
    let figure = TestFigures.scatter(banana(seed: 1), banana(seed: 2), limits: limits)
    let frame = try #require(try ImageInspection.layout(of: figure).frames.first)
    #expect(frame.xLimits == -6...24 && frame.yLimits == -9...9)
  }

  @Test func fittingAspectGivesTheLimitsProportions() throws {
    let samples = TestFigures.scatter(banana(seed: 1), banana(seed: 2), limits: limits, width: 640, height: 480)
      .fittingAspect()
    let grid = TestFigures.grid(
      banana(seed: 1), (1...5).map { banana(seed: UInt64($0)) }, columns: 3, limits: limits,
      panelWidth: 226, panelHeight: 220
    ).fittingAspect()
    for figure in [samples, grid] {
      #expect(figure.height == figure.height.rounded())
      let layout = try ImageInspection.layout(of: figure)
      for frame in layout.frames {
        #expect(frame.xLimits == -6...24 && frame.yLimits == -9...9)
        // Units per pixel agree on both axes to within the half-pixel rounding of the height.
        let unitsX = 30 / frame.rect.width, unitsY = 18 / frame.rect.height
        #expect(abs(unitsX - unitsY) / unitsX < 0.01, "\(frame.rect)")
      }
    }
    // 30:18 at 640 px wide is well under the 480 px asked for: the height shrank.
    #expect(samples.height < 480 && samples.width == 640)
    // Automatic limits keep the figure as it was.
    let automatic = TestFigures.scatter(banana(seed: 1), banana(seed: 2), height: 333)
    #expect(automatic.fittingAspect().height == 333)
  }

  @Test func notesTakeTheLongestFormThatFits() throws {
    let canvas = try CairoCanvas.image(width: 1, height: 1)
    let forms = [["9 points outside the axes (▸ at the edge)", "9 points outside ▸", "9 outside ▸"]]
    let wide = FigureDrawer.fit(forms, maxWidth: 400, maxLines: 5, canvas: canvas)
    #expect(wide == ["9 points outside the axes (▸ at the edge)"])
    let medium = FigureDrawer.fit(forms, maxWidth: 110, maxLines: 5, canvas: canvas)
    #expect(medium == ["9 points outside ▸"])
    // A single-form note is wrapped; nothing is wider than the limit.
    let long = [["seed 3 diverged at step 1234 with a very long explanation"]]
    let wrapped = FigureDrawer.fit(long, maxWidth: 90, maxLines: 10, canvas: canvas)
    #expect(wrapped.count >= 3)
    #expect(wrapped.allSatisfy { canvas.width(of: $0, .note) <= 90 })
    #expect(wrapped.joined(separator: " ") == long[0][0])
    // Too many lines: the last kept one ends in an ellipsis.
    let cut = FigureDrawer.fit(long, maxWidth: 90, maxLines: 2, canvas: canvas)
    #expect(cut.count == 2 && cut[1].hasSuffix("…"))
  }

  @Test func gridNotesStayInsideTheirPanels() throws {
    // Every panel has points far outside the fixed limits, so each draws an "outside" note.
    let far = (0..<50).flatMap { [100.0 + Double($0), 100.0] }
    let seconds = (1...5).map { banana(seed: UInt64($0)) + far }
    let figure = TestFigures.grid(
      banana(seed: 9), seconds, columns: 5, limits: limits, panelWidth: 136, panelHeight: 120)
    let scale = 2.0
    let image = try RasterImage(png: Renderer.png(figure, scale: scale))
    let frames = try ImageInspection.layout(of: figure).frames
    // Between two neighbouring plot areas (left of a panel's y axis ticks) nothing dark
    // may appear at the height of the notes (the top quarter of the plot area).
    for (left, right) in zip(frames, frames.dropFirst()) {
      let gap = (
        x: Int((left.rect.maxX + 1) * scale)..<Int((right.rect.minX - FigureLayout.tickLength - 1) * scale),
        y: Int(left.rect.minY * scale)..<Int((left.rect.minY + left.rect.height / 4) * scale))
      #expect(ImageInspection.count(in: image, x: gap.x, y: gap.y, where: ImageInspection.isDark) == 0)
    }
  }
}
