/// Where everything of a figure goes: panel plot areas, their final limits and ticks,
/// and which tick labels and axis labels each panel shows.
///
/// Margins are computed from the measured extents of the actual labels, so nothing is
/// clipped; panels in a grid get identical plot-area sizes.
struct FigureLayout {
  /// One panel's resolved frame.
  struct Frame {
    let content: PanelContent
    var rect = Rect(x: 0, y: 0, width: 1, height: 1)
    var xLimits: ClosedRange<Double>
    var yLimits: ClosedRange<Double>
    var xTicks = AxisTicks()
    var yTicks = AxisTicks()
    var showXTickLabels = true
    var showYTickLabels = true
    var showXLabel = true
    var showYLabel = true

    var transform: DataTransform {
      DataTransform(
        rect: rect, x: xLimits, y: yLimits, xScale: content.panel.xScale, yScale: content.panel.yScale)
    }
  }

  static let outerPad = 8.0
  static let tickLength = 4.0
  static let tickLabelGap = 3.0
  static let axisLabelGap = 5.0

  private(set) var frames: [Frame]
  /// The figure title's lines (wrapped to the figure width) with their centre heights.
  private(set) var titleLines: [(text: String, centerY: Double)] = []
  /// The area below the grid reserved for a shared legend, if any.
  private(set) var legendBelow: LegendBlock?
  /// The resolved legend mode.
  let placement: LegendPlacement

  /// Lays out `figure`; `placement` overrides the figure's legend placement.
  init(figure: Figure, canvas: CairoCanvas, placement override: LegendPlacement? = nil) {
    let contents = figure.panels.map(PanelContent.init)
    placement = override ?? Self.resolvePlacement(figure.legend, contents: contents)

    var frames = contents.map { content in
      Frame(
        content: content,
        xLimits: Self.validated(content.panel.xLimits, scale: content.panel.xScale) ?? content.autoX,
        yLimits: Self.validated(content.panel.yLimits, scale: content.panel.yScale) ?? content.autoY)
    }
    if figure.sharedX, let union = frames.map(\.xLimits).reduce(nil, { RobustRange.union($0, $1) }) {
      for i in frames.indices { frames[i].xLimits = union }
    }
    if figure.sharedY, let union = frames.map(\.yLimits).reduce(nil, { RobustRange.union($0, $1) }) {
      for i in frames.indices { frames[i].yLimits = union }
    }
    let columns = figure.columns
    let count = frames.count
    for i in frames.indices {
      let isBottom = i + columns >= count
      let isLeft = i % columns == 0
      frames[i].showXTickLabels = !figure.sharedX || isBottom
      frames[i].showXLabel = !figure.sharedX || isBottom
      frames[i].showYTickLabels = !figure.sharedY || isLeft
      frames[i].showYLabel = !figure.sharedY || isLeft
    }

    var top = Self.outerPad
    if let title = figure.title {
      let height = canvas.lineHeight(.figureTitle)
      for line in canvas.wrap(title, .figureTitle, maxWidth: figure.width - 2 * Self.outerPad) {
        titleLines.append((line, top + height / 2))
        top += height
      }
      top += 6
    }
    var bottom = Self.outerPad
    if placement == .below {
      let entries = LegendBlock.entries(of: contents.flatMap(\.items))
      if !entries.isEmpty {
        let title = figure.panels.lazy.compactMap(\.legendTitle).first
        let block = LegendBlock(
          entries: entries, title: title, maxWidth: figure.width - 2 * Self.outerPad, canvas: canvas)
        legendBelow = block
        bottom += block.size.height + 6
      }
    }

    // Margins depend on tick labels, which depend on the plot size: iterate to a fixed point.
    let rows = figure.rows
    let baseLimits = frames.map { ($0.xLimits, $0.yLimits) }
    var margins = frames.map { _ in (left: 40.0, right: 10.0, top: 10.0, bottom: 34.0) }
    for _ in 0..<3 {
      var left = [Double](repeating: 0, count: columns)
      var right = [Double](repeating: 0, count: columns)
      var rowTop = [Double](repeating: 0, count: rows)
      var rowBottom = [Double](repeating: 0, count: rows)
      for (i, m) in margins.enumerated() {
        left[i % columns] = max(left[i % columns], m.left)
        right[i % columns] = max(right[i % columns], m.right)
        rowTop[i / columns] = max(rowTop[i / columns], m.top)
        rowBottom[i / columns] = max(rowBottom[i / columns], m.bottom)
      }
      let plotWidth = max(
        10, (figure.width - 2 * Self.outerPad - left.reduce(0, +) - right.reduce(0, +)) / Double(columns))
      let plotHeight = max(
        10, (figure.height - top - bottom - rowTop.reduce(0, +) - rowBottom.reduce(0, +)) / Double(rows))
      for i in frames.indices {
        let column = i % columns, row = i / columns
        var x = Self.outerPad
        for k in 0..<column { x += left[k] + plotWidth + right[k] }
        var y = top
        for k in 0..<row { y += rowTop[k] + plotHeight + rowBottom[k] }
        frames[i].rect = Rect(x: x + left[column], y: y + rowTop[row], width: plotWidth, height: plotHeight)
        frames[i].xLimits = baseLimits[i].0
        frames[i].yLimits = baseLimits[i].1
        let panel = frames[i].content.panel
        if panel.equalAspect && panel.xScale == .linear && panel.yScale == .linear
          && !Self.hasFixedLimits(panel) {
          Self.equalizeAspect(&frames[i])
        }
        Self.computeTicks(&frames[i], canvas: canvas)
      }
      margins = frames.map { Self.margins(of: $0, canvas: canvas) }
    }
    self.frames = frames
  }

  /// Fixed limits with a positive, finite span (and positive bounds on a log axis), or
  /// `nil` to fall back to automatic ones.
  private static func validated(_ limits: ClosedRange<Double>?, scale: AxisScale) -> ClosedRange<Double>? {
    guard let limits, scale.accepts(limits.lowerBound), scale.accepts(limits.upperBound) else { return nil }
    let scaled = RobustRange.nonDegenerate(scale.forward(limits.lowerBound)...scale.forward(limits.upperBound))
    return scale.inverse(scaled.lowerBound)...scale.inverse(scaled.upperBound)
  }

  /// Whether both of a panel's axes have usable fixed limits: they are then drawn
  /// exactly as given, even for an equal-aspect panel (see ``Figure/fittingAspect(minHeight:maxHeight:)``).
  static func hasFixedLimits(_ panel: Panel) -> Bool {
    validated(panel.xLimits, scale: panel.xScale) != nil && validated(panel.yLimits, scale: panel.yScale) != nil
  }

  private static func resolvePlacement(
    _ requested: LegendPlacement, contents: [PanelContent]
  ) -> LegendPlacement {
    guard requested == .auto else { return requested }
    guard contents.count > 1 else { return .auto }
    let lists = contents.map { LegendBlock.entries(of: $0.items).map(\.key) }
    if let first = lists.first, !first.isEmpty, lists.allSatisfy({ $0 == first }) { return .below }
    return .auto
  }

  /// Widens one axis so a data unit has the same length on both axes.
  private static func equalizeAspect(_ frame: inout Frame) {
    let spanX = frame.xLimits.upperBound - frame.xLimits.lowerBound
    let spanY = frame.yLimits.upperBound - frame.yLimits.lowerBound
    let unitsPerPx = max(spanX / frame.rect.width, spanY / frame.rect.height)
    let newX = unitsPerPx * frame.rect.width, newY = unitsPerPx * frame.rect.height
    let cx = (frame.xLimits.lowerBound + frame.xLimits.upperBound) / 2
    let cy = (frame.yLimits.lowerBound + frame.yLimits.upperBound) / 2
    frame.xLimits = (cx - newX / 2)...(cx + newX / 2)
    frame.yLimits = (cy - newY / 2)...(cy + newY / 2)
  }

  private static func computeTicks(_ frame: inout Frame, canvas: CairoCanvas) {
    canvas.setFont(.tickLabel)
    let lineHeight = canvas.lineHeight(.tickLabel)
    frame.xTicks = AxisTicks.numeric(
      limits: frame.xLimits, scale: frame.content.panel.xScale, length: frame.rect.width,
      preferredSpacing: 70, gap: 12, labelExtent: { canvas.width(of: $0, .tickLabel) })
    frame.yTicks = AxisTicks.numeric(
      limits: frame.yLimits, scale: frame.content.panel.yScale, length: frame.rect.height,
      preferredSpacing: 45, gap: 6, labelExtent: { _ in lineHeight })
  }

  /// The space a panel needs around its plot area.
  private static func margins(
    of frame: Frame, canvas: CairoCanvas
  ) -> (left: Double, right: Double, top: Double, bottom: Double) {
    let panel = frame.content.panel
    let tickHeight = canvas.lineHeight(.tickLabel)
    var left = tickLength
    if frame.showYTickLabels {
      left += tickLabelGap + (frame.yTicks.labels.map { canvas.width(of: $0, .tickLabel) }.max() ?? 0)
    }
    if frame.showYLabel, panel.yLabel != nil { left += axisLabelGap + canvas.lineHeight(.axisLabel) }
    left += 2

    var bottom = tickLength
    var right = 6.0
    if frame.showXTickLabels {
      let widths = frame.xTicks.labels.map { canvas.width(of: $0, .tickLabel) }
      bottom += tickLabelGap + tickHeight
      if let lastWidth = widths.last, let lastPosition = frame.xTicks.positions.last {
        let overhang = frame.transform.px(lastPosition) + lastWidth / 2 - frame.rect.maxX
        right = max(right, overhang + 2)
      }
    }
    if frame.showXLabel, panel.xLabel != nil { bottom += axisLabelGap + canvas.lineHeight(.axisLabel) }
    bottom += 2

    var top = tickHeight / 2 + 2
    if panel.title != nil { top = max(top, canvas.lineHeight(.panelTitle) + 6) }
    return (left, right, top, bottom)
  }
}
