/// A laid-out legend: entries with swatches, in one column (inside a panel) or
/// flowing in rows (below the grid).
struct LegendBlock {
  /// How an entry's sample mark looks.
  enum Swatch: Equatable {
    case marker(alpha: Double)
    case line(width: Double, dash: [Double]?, markers: Bool)
    case patch(alpha: Double)
  }

  struct Entry {
    let label: String
    let color: Color
    let swatch: Swatch
    /// Identity for de-duplication and for comparing the legends of panels.
    var key: String { "\(label)|\(color.red),\(color.green),\(color.blue)" }
  }

  static let padding = 6.0
  static let swatchWidth = 20.0
  static let swatchGap = 6.0
  static let columnGap = 16.0

  let entries: [Entry]
  /// A heading for the entries (e.g. "mean ± sd over 5 seeds"), without a swatch.
  let title: String?
  /// Top-left offset of the title, relative to the block's origin.
  let titleOffset: (x: Double, y: Double)
  /// Top-left offsets of each entry's row box, relative to the block's origin.
  let offsets: [(x: Double, y: Double)]
  let rowHeight: Double
  let size: (width: Double, height: Double)

  /// Labelled series as legend entries, first occurrence of each (label, colour) kept.
  static func entries(of items: [PanelContent.Item]) -> [Entry] {
    var seen = Set<String>()
    var result: [Entry] = []
    for item in items {
      guard let label = item.series.label, !label.isEmpty else { continue }
      let swatch: Swatch
      switch item.series.kind {
      case .scatter(_, _, _, let alpha): swatch = .marker(alpha: max(alpha, 0.7))
      case .line(_, _, let width, let dash, let markers): swatch = .line(width: width, dash: dash, markers: markers)
      case .horizontalLine(_, let dash): swatch = .line(width: 1.2, dash: dash, markers: false)
      case .band(_, _, _, let alpha): swatch = .patch(alpha: alpha)
      }
      let entry = Entry(label: label, color: item.color, swatch: swatch)
      if seen.insert(entry.key).inserted { result.append(entry) }
    }
    return result
  }

  /// Lays out `entries`; with `maxWidth` they flow left to right in rows no wider than
  /// it (each row centred), otherwise they stack in one column.
  /// A `title` comes first: on a line of its own in a column, as the first item of the
  /// first row when flowing.
  init(entries: [Entry], title: String? = nil, maxWidth: Double?, canvas: CairoCanvas) {
    self.entries = entries
    let title = entries.isEmpty ? nil : title
    self.title = title
    rowHeight = canvas.lineHeight(.legend) + 3
    var widths = entries.map { Self.swatchWidth + Self.swatchGap + canvas.width(of: $0.label, .legend) }
    let titleWidth = title.map { canvas.width(of: $0, .legend) }
    var offsets: [(x: Double, y: Double)] = []
    var titleOffset = (x: Self.padding, y: Self.padding)
    if let maxWidth {
      // The title flows as an item without a swatch, placed before the entries.
      if let titleWidth { widths.insert(titleWidth, at: 0) }
      // Flow into rows, then centre each row within the widest.
      var rows: [[Int]] = [[]]
      var rowWidth = 0.0
      for (i, width) in widths.enumerated() {
        let added = (rows[rows.count - 1].isEmpty ? 0 : Self.columnGap) + width
        if !rows[rows.count - 1].isEmpty, rowWidth + added > maxWidth - 2 * Self.padding {
          rows.append([i])
          rowWidth = width
        } else {
          rows[rows.count - 1].append(i)
          rowWidth += added
        }
      }
      let rowWidths = rows.map { row in
        row.map { widths[$0] }.reduce(0, +) + Double(max(0, row.count - 1)) * Self.columnGap
      }
      let inner = rowWidths.max() ?? 0
      var items = Array(repeating: (x: 0.0, y: 0.0), count: widths.count)
      for (r, row) in rows.enumerated() {
        var x = Self.padding + (inner - rowWidths[r]) / 2
        for i in row {
          items[i] = (x, Self.padding + Double(r) * rowHeight)
          x += widths[i] + Self.columnGap
        }
      }
      if titleWidth != nil { titleOffset = items.removeFirst() }
      offsets = items
      size = (inner + 2 * Self.padding, Double(rows.count) * rowHeight + 2 * Self.padding)
    } else {
      let first = titleWidth == nil ? 0 : 1
      for i in entries.indices {
        offsets.append((Self.padding, Self.padding + Double(first + i) * rowHeight))
      }
      let widest = max(widths.max() ?? 0, titleWidth ?? 0)
      size = (widest + 2 * Self.padding, Double(first + entries.count) * rowHeight + 2 * Self.padding)
    }
    self.offsets = offsets
    self.titleOffset = titleOffset
  }

  /// Draws the box (translucent white, light border) and the entries at `origin`.
  func draw(at origin: (x: Double, y: Double), canvas: CairoCanvas, framed: Bool) {
    let box = Rect(x: origin.x, y: origin.y, width: size.width, height: size.height)
    if framed {
      canvas.roundedRectangle(box, radius: 3)
      canvas.setColor(.white, alpha: 0.82)
      canvas.fillPreserve()
      canvas.setColor(Color(hex: 0xCCCCCC))
      canvas.stroke(width: 0.8)
    }
    if let title {
      canvas.drawText(
        title, .legend, x: origin.x + titleOffset.x, centerY: origin.y + titleOffset.y + rowHeight / 2,
        anchor: .left, color: Color(hex: 0x555555))
    }
    for (entry, offset) in zip(entries, offsets) {
      let x = origin.x + offset.x
      let centerY = origin.y + offset.y + rowHeight / 2
      drawSwatch(entry, x: x, centerY: centerY, canvas: canvas)
      canvas.drawText(
        entry.label, .legend, x: x + Self.swatchWidth + Self.swatchGap, centerY: centerY,
        anchor: .left, color: Color(hex: 0x222222))
    }
  }

  private func drawSwatch(_ entry: Entry, x: Double, centerY: Double, canvas: CairoCanvas) {
    let mid = x + Self.swatchWidth / 2
    switch entry.swatch {
    case .marker(let alpha):
      canvas.circle(mid, centerY, radius: 3.5)
      canvas.setColor(entry.color, alpha: alpha * entry.color.alpha)
      canvas.fill()
    case .line(let width, let dash, let markers):
      canvas.setButtCaps()
      canvas.line(from: (x, centerY), to: (x + Self.swatchWidth, centerY))
      canvas.setColor(entry.color)
      canvas.stroke(width: min(width, 3), dash: dash)
      if markers {
        canvas.circle(mid, centerY, radius: 2.5)
        canvas.fill()
      }
    case .patch(let alpha):
      let patch = Rect(x: x + 2, y: centerY - 5, width: Self.swatchWidth - 4, height: 10)
      canvas.rectangle(patch)
      canvas.setColor(entry.color, alpha: max(alpha, 0.35) * entry.color.alpha)
      canvas.fill()
    }
  }
}
