import Foundation

/// Draws a laid-out figure on a canvas. The same code serves PNG and SVG.
struct FigureDrawer {
  let figure: Figure
  let canvas: CairoCanvas

  static let textColor = Color(hex: 0x222222)
  static let spineColor = Color(hex: 0x404040)
  static let gridColor = Color(hex: 0xE3E3E3)
  static let noteColor = Color(hex: 0x555555)

  func draw() {
    canvas.paint(.white)
    canvas.setRoundCaps()
    let layout = Self.layout(of: figure, canvas: canvas)
    for line in layout.titleLines {
      canvas.drawText(line.text, .figureTitle, x: figure.width / 2, centerY: line.centerY, anchor: .center, color: Self.textColor)
    }
    for frame in layout.frames {
      drawPanel(frame, placement: layout.placement)
    }
    if let legend = layout.legendBelow {
      let origin = (
        x: (figure.width - legend.size.width) / 2,
        y: figure.height - FigureLayout.outerPad - legend.size.height)
      legend.draw(at: origin, canvas: canvas, framed: false)
    }
  }

  // MARK: - Panel

  private func drawPanel(_ frame: FigureLayout.Frame, placement: LegendPlacement) {
    let t = frame.transform
    drawGrid(frame)
    let occupancy = OccupancyMap(frame: frame)
    var marks = MarkDrawer(canvas: canvas, transform: t)
    canvas.clip(to: frame.rect)
    for item in frame.content.items {
      marks.draw(item)
    }
    canvas.restore()
    marks.drawEdgeMarkers()
    drawAxes(frame)

    // Legend inside the plot area, then notes in the emptiest other corner.
    var occupied: [Rect] = []
    if placement != .none && placement != .below {
      let entries = LegendBlock.entries(of: frame.content.items)
      if !entries.isEmpty {
        let block = LegendBlock(
          entries: entries, title: frame.content.panel.legendTitle, maxWidth: nil, canvas: canvas)
        let box = Self.chooseCorner(
          size: block.size, in: frame.rect, placement: placement, occupancy: occupancy.occupancy, avoiding: [])
        block.draw(at: (box.x, box.y), canvas: canvas, framed: true)
        occupied.append(box)
      }
    }
    // Each note in forms from longest to shortest; the longest that fits the panel is used.
    var notes: [[String]] = (frame.content.panel.notes ?? []).map { [$0] }
    func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    let outside = marks.scatterOutside
    if outside > 0 {
      notes.append([
        "\(plural(outside, "point")) outside the axes (▸ at the edge)", "\(plural(outside, "point")) outside ▸",
        "\(outside) outside ▸",
      ])
    }
    let lineOutside = marks.lineOutside
    if lineOutside > 0 {
      notes.append(["\(plural(lineOutside, "line value")) outside the axes", "\(lineOutside) outside the axes"])
    }
    let nonPositive = frame.content.nonPositiveCount
    if nonPositive > 0 {
      notes.append(["\(plural(nonPositive, "value")) ≤ 0 left off the log axis", "\(nonPositive) ≤ 0 omitted"])
    }
    let nonFinite = frame.content.nonFiniteCount
    if nonFinite > 0 {
      notes.append(["\(plural(nonFinite, "NaN/inf value")) omitted", "\(nonFinite) NaN/inf omitted"])
    }
    if !notes.isEmpty { drawNotes(notes, frame: frame, occupancy: occupancy.occupancy, avoiding: occupied) }
  }

  private func drawGrid(_ frame: FigureLayout.Frame) {
    let rect = frame.rect, t = frame.transform
    canvas.setButtCaps()
    for x in frame.xTicks.positions where frame.xLimits.contains(x) {
      canvas.line(from: (t.px(x), rect.minY), to: (t.px(x), rect.maxY))
    }
    for y in frame.yTicks.positions where frame.yLimits.contains(y) {
      canvas.line(from: (rect.minX, t.py(y)), to: (rect.maxX, t.py(y)))
    }
    canvas.setColor(Self.gridColor)
    canvas.stroke(width: 0.8)
    canvas.setRoundCaps()
  }

  private func drawAxes(_ frame: FigureLayout.Frame) {
    let rect = frame.rect, t = frame.transform, panel = frame.content.panel
    let tick = FigureLayout.tickLength, gap = FigureLayout.tickLabelGap
    canvas.setButtCaps()
    canvas.rectangle(rect)
    for x in frame.xTicks.positions where frame.xLimits.contains(x) {
      canvas.line(from: (t.px(x), rect.maxY), to: (t.px(x), rect.maxY + tick))
    }
    for y in frame.yTicks.positions where frame.yLimits.contains(y) {
      canvas.line(from: (rect.minX, t.py(y)), to: (rect.minX - tick, t.py(y)))
    }
    for x in frame.xTicks.minorPositions where frame.xLimits.contains(x) {
      canvas.line(from: (t.px(x), rect.maxY), to: (t.px(x), rect.maxY + tick / 2))
    }
    for y in frame.yTicks.minorPositions where frame.yLimits.contains(y) {
      canvas.line(from: (rect.minX, t.py(y)), to: (rect.minX - tick / 2, t.py(y)))
    }
    canvas.setColor(Self.spineColor)
    canvas.stroke(width: 0.8)
    canvas.setRoundCaps()

    let tickHeight = canvas.lineHeight(.tickLabel)
    var xLabelTop = rect.maxY + tick
    if frame.showXTickLabels {
      var lowest = 0.0
      for (x, label) in zip(frame.xTicks.positions, frame.xTicks.labels) where frame.xLimits.contains(x) {
        canvas.drawText(
          label, .tickLabel, x: t.px(x), centerY: rect.maxY + tick + gap + tickHeight / 2,
          anchor: .center, color: Self.textColor)
        lowest = tickHeight
      }
      xLabelTop += gap + lowest
    }
    if frame.showXLabel, let xLabel = panel.xLabel {
      let height = canvas.lineHeight(.axisLabel)
      canvas.drawText(
        canvas.fitting(xLabel, .axisLabel, maxWidth: rect.width + 20), .axisLabel, x: rect.minX + rect.width / 2,
        centerY: xLabelTop + FigureLayout.axisLabelGap + height / 2, anchor: .center, color: Self.textColor)
    }

    var yLabelRight = rect.minX - tick
    if frame.showYTickLabels {
      var widest = 0.0
      for (y, label) in zip(frame.yTicks.positions, frame.yTicks.labels) where frame.yLimits.contains(y) {
        canvas.drawText(
          label, .tickLabel, x: rect.minX - tick - gap, centerY: t.py(y), anchor: .right,
          color: Self.textColor)
        widest = max(widest, canvas.width(of: label, .tickLabel))
      }
      yLabelRight -= gap + widest
    }
    if frame.showYLabel, let yLabel = panel.yLabel {
      let height = canvas.lineHeight(.axisLabel)
      canvas.drawRotatedText(
        canvas.fitting(yLabel, .axisLabel, maxWidth: rect.height + 10), .axisLabel, x: yLabelRight - FigureLayout.axisLabelGap - height / 2,
        y: rect.minY + rect.height / 2, angle: Double.pi / 2, anchor: .center, color: Self.textColor)
    }
    if let title = panel.title {
      let height = canvas.lineHeight(.panelTitle)
      canvas.drawText(
        canvas.fitting(title, .panelTitle, maxWidth: rect.width + 20), .panelTitle, x: rect.minX + rect.width / 2, centerY: rect.minY - 5 - height / 2,
        anchor: .center, color: Self.textColor)
    }
  }

  // MARK: - Legend and notes

  /// The layout the figure is drawn with: with an automatic legend that would hide data
  /// in every corner, the legend moves below the plots.
  static func layout(of figure: Figure, canvas: CairoCanvas) -> FigureLayout {
    let layout = FigureLayout(figure: figure, canvas: canvas)
    if layout.placement == .auto && insideLegendsHideData(layout, canvas: canvas) {
      return FigureLayout(figure: figure, canvas: canvas, placement: .below)
    }
    return layout
  }

  /// Whether some panel's legend, in its best corner, would cover more than a trace of data.
  private static func insideLegendsHideData(_ layout: FigureLayout, canvas: CairoCanvas) -> Bool {
    layout.frames.contains { frame in
      let entries = LegendBlock.entries(of: frame.content.items)
      guard !entries.isEmpty else { return false }
      let block = LegendBlock(
          entries: entries, title: frame.content.panel.legendTitle, maxWidth: nil, canvas: canvas)
      let occupancy = OccupancyMap(frame: frame)
      let box = Self.chooseCorner(
        size: block.size, in: frame.rect, placement: .auto, occupancy: occupancy.occupancy, avoiding: [])
      return occupancy.occupancy(box) > 3
    }
  }

  /// The top-left corner of a box of `size` in the least occupied candidate position.
  private static func chooseCorner(
    size: (width: Double, height: Double), in rect: Rect, placement: LegendPlacement,
    occupancy: (Rect) -> Double, avoiding: [Rect]
  ) -> Rect {
    let inset = 6.0
    let left = rect.minX + inset, right = rect.maxX - inset - size.width
    let top = rect.minY + inset, bottom = rect.maxY - inset - size.height
    func box(_ x: Double, _ y: Double) -> Rect { Rect(x: x, y: y, width: size.width, height: size.height) }
    switch placement {
    case .topLeft: return box(left, top)
    case .topRight: return box(right, top)
    case .bottomLeft: return box(left, bottom)
    case .bottomRight: return box(right, bottom)
    default: break
    }
    let centerX = rect.minX + (rect.width - size.width) / 2
    let candidates = [
      box(right, top), box(left, top), box(left, bottom), box(right, bottom),
      box(centerX, top), box(centerX, bottom),
    ]
    var best = candidates[0]
    var bestScore = Double.infinity
    for candidate in candidates {
      var score = occupancy(candidate)
      if avoiding.contains(where: { $0.intersects(candidate) }) { score += 1e9 }
      if score < bestScore {
        best = candidate
        bestScore = score
      }
    }
    return best
  }

  private func drawNotes(
    _ notes: [[String]], frame: FigureLayout.Frame, occupancy: (Rect) -> Double, avoiding: [Rect]
  ) {
    let lineHeight = canvas.lineHeight(.note) + 2
    // The box (text + 4 px padding each side) stays inside the plot area's 6 px inset.
    let maxWidth = max(20, frame.rect.width - 12 - 8)
    let maxLines = max(1, Int((frame.rect.height - 12 - 6) / lineHeight))
    let lines = Self.fit(notes, maxWidth: maxWidth, maxLines: maxLines, canvas: canvas)
    let width = (lines.map { canvas.width(of: $0, .note) }.max() ?? 0) + 8
    let height = Double(lines.count) * lineHeight + 6
    let box = Self.chooseCorner(
      size: (width, height), in: frame.rect, placement: .auto, occupancy: occupancy, avoiding: avoiding)
    canvas.roundedRectangle(box, radius: 2)
    canvas.setColor(.white, alpha: 0.8)
    canvas.fill()
    for (i, line) in lines.enumerated() {
      canvas.drawText(
        line, .note, x: box.minX + 4, centerY: box.minY + 3 + (Double(i) + 0.5) * lineHeight,
        anchor: .left, color: Self.noteColor)
    }
  }

  /// The lines of `notes` in a box at most `maxWidth` wide: the longest form of every
  /// note if all fit, else the next shorter forms; what still does not fit is wrapped
  /// at spaces (and a single overlong word cut with an ellipsis). At most `maxLines`
  /// lines; a cut-off last line ends in "…".
  static func fit(_ notes: [[String]], maxWidth: Double, maxLines: Int, canvas: CairoCanvas) -> [String] {
    let levels = notes.map(\.count).max() ?? 0
    var chosen: [String] = []
    for level in 0..<max(1, levels) {
      chosen = notes.map { $0[min(level, $0.count - 1)] }
      if chosen.allSatisfy({ canvas.width(of: $0, .note) <= maxWidth }) { break }
    }
    var lines: [String] = []
    for note in chosen {
      for line in canvas.wrap(note, .note, maxWidth: maxWidth) {
        lines.append(canvas.fitting(line, .note, maxWidth: maxWidth))
      }
    }
    if lines.count > maxLines {
      lines = Array(lines.prefix(maxLines))
      lines[maxLines - 1] = canvas.fitting(lines[maxLines - 1] + " …", .note, maxWidth: maxWidth)
    }
    return lines
  }
}
