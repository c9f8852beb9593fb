import CCairo

/// Font roles used by the figure, with their sizes in CSS px.
enum TextStyle {
  case figureTitle, panelTitle, axisLabel, tickLabel, legend, note

  var size: Double {
    switch self {
    case .figureTitle: 15
    case .panelTitle: 12.5
    case .axisLabel: 12
    case .tickLabel: 11
    case .legend: 11
    case .note: 10
    }
  }

  var bold: Bool { self == .figureTitle }
}

/// Where a text's reference point sits relative to the text.
enum TextAnchor {
  case left, center, right
}

/// Thin drawing helpers over the Cairo context.
extension CairoCanvas {
  func scale(_ factor: Double) {
    cairo_scale(cr, factor, factor)
  }

  func setColor(_ color: Color, alpha: Double? = nil) {
    cairo_set_source_rgba(cr, color.red, color.green, color.blue, alpha ?? color.alpha)
  }

  func setFont(_ style: TextStyle) {
    cairo_select_font_face(
      cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
      style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cr, style.size)
  }

  /// The advance width of `text` in the current font.
  func textWidth(_ text: String) -> Double {
    var extents = cairo_text_extents_t()
    cairo_text_extents(cr, text, &extents)
    return extents.x_advance
  }

  /// Ascent and descent of the current font.
  func fontMetrics() -> (ascent: Double, descent: Double) {
    var extents = cairo_font_extents_t()
    cairo_font_extents(cr, &extents)
    return (extents.ascent, extents.descent)
  }

  /// The height a line of text in `style` occupies (ascent + descent).
  func lineHeight(_ style: TextStyle) -> Double {
    setFont(style)
    let metrics = fontMetrics()
    return metrics.ascent + metrics.descent
  }

  /// Width of `text` in `style`.
  func width(of text: String, _ style: TextStyle) -> Double {
    setFont(style)
    return textWidth(text)
  }

  /// Splits `text` at spaces into lines no wider than `maxWidth` in `style` (a single
  /// word wider than that gets a line of its own).
  func wrap(_ text: String, _ style: TextStyle, maxWidth: Double) -> [String] {
    setFont(style)
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      let candidate = current.isEmpty ? String(word) : current + " " + word
      if current.isEmpty || textWidth(candidate) <= maxWidth {
        current = candidate
      } else {
        lines.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  /// `text`, shortened with an ellipsis if it is wider than `maxWidth` in `style`.
  func fitting(_ text: String, _ style: TextStyle, maxWidth: Double) -> String {
    setFont(style)
    guard textWidth(text) > maxWidth else { return text }
    var characters = Array(text)
    while !characters.isEmpty && textWidth(String(characters) + "…") > maxWidth {
      characters.removeLast()
    }
    return String(characters) + "…"
  }

  /// Draws `text` horizontally anchored at `x`, with its line box's vertical centre at `y`.
  func drawText(_ text: String, _ style: TextStyle, x: Double, centerY y: Double, anchor: TextAnchor, color: Color) {
    setFont(style)
    let width = textWidth(text)
    let metrics = fontMetrics()
    let left: Double
    switch anchor {
    case .left: left = x
    case .center: left = x - width / 2
    case .right: left = x - width
    }
    setColor(color)
    cairo_move_to(cr, left, y + (metrics.ascent - metrics.descent) / 2)
    cairo_show_text(cr, text)
    cairo_new_path(cr)
  }

  /// Draws `text` rotated by `angle` radians (counter-clockwise positive, as read),
  /// centred on (x, y) along its baseline direction.
  func drawRotatedText(_ text: String, _ style: TextStyle, x: Double, y: Double, angle: Double, anchor: TextAnchor, color: Color) {
    cairo_save(cr)
    cairo_translate(cr, x, y)
    cairo_rotate(cr, -angle)
    drawText(text, style, x: 0, centerY: 0, anchor: anchor, color: color)
    cairo_restore(cr)
  }

  func rectangle(_ rect: Rect) {
    cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
  }

  func roundedRectangle(_ rect: Rect, radius: Double) {
    let r = min(radius, rect.width / 2, rect.height / 2)
    cairo_new_sub_path(cr)
    cairo_arc(cr, rect.maxX - r, rect.minY + r, r, -Double.pi / 2, 0)
    cairo_arc(cr, rect.maxX - r, rect.maxY - r, r, 0, Double.pi / 2)
    cairo_arc(cr, rect.minX + r, rect.maxY - r, r, Double.pi / 2, Double.pi)
    cairo_arc(cr, rect.minX + r, rect.minY + r, r, Double.pi, 1.5 * Double.pi)
    cairo_close_path(cr)
  }

  func fill() { cairo_fill(cr) }

  func fillPreserve() { cairo_fill_preserve(cr) }

  func stroke(width: Double, dash: [Double]? = nil) {
    cairo_set_line_width(cr, width)
    if let dash, !dash.isEmpty, dash.allSatisfy({ $0 >= 0 }), dash.contains(where: { $0 > 0 }) {
      cairo_set_dash(cr, dash, Int32(dash.count), 0)
    } else {
      cairo_set_dash(cr, nil, 0, 0)
    }
    cairo_stroke(cr)
    cairo_set_dash(cr, nil, 0, 0)
  }

  func line(from a: (Double, Double), to b: (Double, Double)) {
    cairo_move_to(cr, a.0, a.1)
    cairo_line_to(cr, b.0, b.1)
  }

  func moveTo(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }

  func lineTo(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }

  func closePath() { cairo_close_path(cr) }

  func circle(_ x: Double, _ y: Double, radius: Double) {
    cairo_new_sub_path(cr)
    cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
  }

  func clip(to rect: Rect) {
    cairo_save(cr)
    rectangle(rect)
    cairo_clip(cr)
  }

  /// Ends the clipping of ``clip(to:)``.
  func restore() { cairo_restore(cr) }

  func setRoundCaps() {
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
  }

  func setButtCaps() {
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
  }

  func paint(_ color: Color) {
    setColor(color)
    cairo_paint(cr)
  }
}
