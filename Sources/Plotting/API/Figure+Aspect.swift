extension Figure {
  /// The figure with its height changed so that its first equal-aspect panel with fixed
  /// x and y limits shows one data unit as long on both axes.
  ///
  /// Fixed limits are always drawn exactly as given, so an equal-aspect panel can only
  /// keep its aspect if its plot area has the limits' proportions; this picks the
  /// height that gives it (margins, titles and a legend below included), clamped to
  /// `minHeight...maxHeight`. Figures without such a panel come back unchanged.
  ///
  /// ```swift
  /// let panel = Panel(xLabel: "x", yLabel: "y", xLimits: -6...24, yLimits: -9...9,
  ///                   equalAspect: true, series: [.scatter(points: points)])
  /// let fig = Figure(width: 640, height: 480, panels: [panel]).fittingAspect()
  /// ```
  public func fittingAspect(minHeight: Double = 120, maxHeight: Double = 2000) -> Figure {
    precondition(minHeight >= 50 && minHeight <= maxHeight && maxHeight <= 10_000, "fittingAspect: bad bounds")
    guard let index = panels.firstIndex(where: { panel in
      panel.equalAspect && panel.xScale == .linear && panel.yScale == .linear
        && FigureLayout.hasFixedLimits(panel)
    }) else { return self }
    // Text is measured on a tiny image surface; hinting is off, so the metrics match
    // every renderer.
    guard let canvas = try? CairoCanvas.image(width: 1, height: 1) else { return self }
    var figure = self
    // Rows share the height: each pixel of plot height takes `rows` pixels of figure
    // height. Tick labels or the legend may reflow: a few rounds settle it.
    for _ in 0..<4 {
      let frame = FigureDrawer.layout(of: figure, canvas: canvas).frames[index]
      let spanX = frame.xLimits.upperBound - frame.xLimits.lowerBound
      let spanY = frame.yLimits.upperBound - frame.yLimits.lowerBound
      let wanted = frame.rect.width * spanY / spanX
      let height = min(max((figure.height + Double(figure.rows) * (wanted - frame.rect.height)).rounded(), minHeight), maxHeight)
      if height == figure.height { break }
      figure.height = height
    }
    return figure
  }
}
