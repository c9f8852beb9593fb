/// Shrinks Cairo's SVG output without changing what it shows.
///
/// Cairo writes one `<path style="…" d="…"/>` per scatter marker, with the whole style
/// repeated and every coordinate to six decimals (~270 bytes a marker). This rewrites,
/// line by line (Cairo puts one element on each line):
///
/// - every `style="…"` of a `<path>` or `<g>` becomes `class="sN"`, with one CSS rule
///   per distinct style in a `<style>` block (classes numbered by first appearance);
/// - a path that is a single circle (Cairo's Bézier approximation of an arc) becomes
///   `<circle cx cy r>`, and runs of consecutive circles of one style share a
///   `<g class="sN">`;
/// - numbers in path data and glyph positions are rounded to 1/100 px.
///
/// The output depends only on the input bytes, so it is deterministic.
enum SVGCompactor {
  static func compact(_ svg: [UInt8]) -> [UInt8] {
    let text = String(decoding: svg, as: UTF8.self)
    var classes: [Substring: Int] = [:]
    var rules: [Substring] = []
    var body = ""
    body.reserveCapacity(svg.count / 3)
    var headerEnd: String.Index?
    /// The open group of consecutive circles: its class and indentation.
    var circleGroup: (style: Int, indent: Substring)? = nil

    func className(_ style: Substring) -> Int {
      if let index = classes[style] { return index }
      rules.append(style)
      classes[style] = rules.count
      return rules.count
    }
    func closeGroup() {
      if let group = circleGroup {
        body += group.indent + "</g>\n"
        circleGroup = nil
      }
    }

    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop(while: { $0 == " " })
      let indent = line[line.startIndex..<trimmed.startIndex]
      if headerEnd == nil {
        body += line
        body += "\n"
        if trimmed.hasPrefix("<svg ") { headerEnd = body.endIndex }
        continue
      }
      if trimmed.hasPrefix("<path style=\""), let circle = circle(in: trimmed) {
        let style = className(circle.style)
        if circleGroup?.style != style || circleGroup?.indent != indent {
          closeGroup()
          body += indent + "<g class=\"s\(style)\">\n"
          circleGroup = (style, indent)
        }
        body += indent + "<circle cx=\"" + format(circle.cx) + "\" cy=\"" + format(circle.cy)
          + "\" r=\"" + format(circle.r) + "\"/>\n"
        continue
      }
      closeGroup()
      if trimmed.hasPrefix("<path ") || trimmed.hasPrefix("<g style=\"") || trimmed.hasPrefix("<use ") {
        body += indent + rewrite(trimmed, className: className) + "\n"
      } else {
        body += line
        body += "\n"
      }
    }
    closeGroup()
    // `split` yields an empty last piece after the final newline: drop the extra "\n".
    if text.hasSuffix("\n") { body.removeLast() }
    guard let headerEnd, !rules.isEmpty else { return Array(body.utf8) }
    var css = "<style type=\"text/css\"><![CDATA[\n"
    for (index, rule) in rules.enumerated() {
      css += ".s\(index + 1){" + rule.trimmingSpaces() + "}\n"
    }
    css += "]]></style>\n"
    body.insert(contentsOf: css, at: headerEnd)
    return Array(body.utf8)
  }

  // MARK: - Elements

  /// The element with its `style` replaced by a class and its numbers rounded.
  private static func rewrite(_ element: Substring, className: (Substring) -> Int) -> String {
    var out = ""
    out.reserveCapacity(element.count)
    var rest = element[...]
    while let (name, start, end) = nextAttribute(in: rest) {
      out += rest[rest.startIndex..<start]
      let value = rest[rest.index(start, offsetBy: name.count + 2)..<end]
      switch name {
      case "style":
        out += "class=\"s\(className(value))\""
      case "d":
        out += "d=\"" + roundedPath(value) + "\""
      case "x", "y":
        if let number = Double(value) {
          out += name + "=\"" + format(number) + "\""
        } else {
          out += rest[start...end]
        }
      default:
        out += rest[start...end]
      }
      rest = rest[rest.index(after: end)...]
    }
    out += rest
    return out
  }

  /// The next ` name="value"` attribute: its name, the index where the name starts and
  /// the index of the closing quote.
  private static func nextAttribute(in text: Substring) -> (String, String.Index, String.Index)? {
    var index = text.startIndex
    while let space = text[index...].firstIndex(of: " ") {
      let nameStart = text.index(after: space)
      guard let equals = text[nameStart...].firstIndex(of: "=") else { return nil }
      let name = text[nameStart..<equals]
      let quote = text.index(after: equals)
      if !name.isEmpty, !name.contains(" "), quote < text.endIndex, text[quote] == "\"",
        let close = text[text.index(after: quote)...].firstIndex(of: "\"") {
        return (String(name), nameStart, close)
      }
      index = nameStart
    }
    return nil
  }

  /// Path data with every number rounded to two decimals.
  private static func roundedPath(_ data: Substring) -> String {
    var out = ""
    out.reserveCapacity(data.count / 2)
    for token in data.split(separator: " ") {
      if !out.isEmpty { out += " " }
      if let number = Double(token) { out += format(number) } else { out += token }
    }
    return out
  }

  // MARK: - Circles

  /// A `<path style="…" d="…"/>` whose data is one closed chain of cubic Béziers that
  /// traces a circle, as Cairo writes `cairo_arc` over 2π.
  static func circle(in element: Substring) -> (style: Substring, cx: Double, cy: Double, r: Double)? {
    let prefix = "<path style=\"", middle = "\" d=\"", suffix = "\"/>"
    guard element.hasPrefix(prefix), element.hasSuffix(suffix),
      let split = element.range(of: middle)
    else { return nil }
    let style = element[element.index(element.startIndex, offsetBy: prefix.count)..<split.lowerBound]
    let data = element[split.upperBound..<element.index(element.endIndex, offsetBy: -suffix.count)]
    guard !style.contains("\""), !data.contains("\"") else { return nil }
    let tokens = data.split(separator: " ")
    guard tokens.count >= 3, tokens[0] == "M", let x0 = Double(tokens[1]), let y0 = Double(tokens[2])
    else { return nil }
    var points = [(x0, y0)]
    var segments: [[(Double, Double)]] = []
    var i = 3
    while i < tokens.count {
      guard tokens[i] == "C", i + 6 < tokens.count else { return nil }
      var segment = [points[points.count - 1]]
      for k in 0..<3 {
        guard let x = Double(tokens[i + 1 + 2 * k]), let y = Double(tokens[i + 2 + 2 * k]) else { return nil }
        segment.append((x, y))
      }
      segments.append(segment)
      points.append(segment[3])
      i += 7
    }
    guard segments.count >= 2, let last = points.last,
      abs(last.0 - x0) < 1e-3, abs(last.1 - y0) < 1e-3
    else { return nil }
    // Sample each segment; the samples must lie on one circle and enclose its area.
    var samples: [(Double, Double)] = []
    for segment in segments {
      for step in 0..<8 { samples.append(bezier(segment, t: Double(step) / 8)) }
    }
    // Cairo splits the arc into equal segments from angle 0: their start points average
    // to the centre.
    let starts = segments.map { $0[0] }
    let cx = starts.map(\.0).reduce(0, +) / Double(starts.count)
    let cy = starts.map(\.1).reduce(0, +) / Double(starts.count)
    let r = ((x0 - cx) * (x0 - cx) + (y0 - cy) * (y0 - cy)).squareRoot()
    guard r > 0, r.isFinite else { return nil }
    for (x, y) in samples {
      let distance = ((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot()
      if abs(distance - r) > 0.03 * r + 1e-3 { return nil }
    }
    var area = 0.0
    for k in samples.indices {
      let a = samples[k], b = samples[(k + 1) % samples.count]
      area += a.0 * b.1 - b.0 * a.1
    }
    let ratio = abs(area / 2) / (Double.pi * r * r)
    guard ratio > 0.93 && ratio < 1.05 else { return nil }
    return (style, cx, cy, r)
  }

  private static func bezier(_ p: [(Double, Double)], t: Double) -> (Double, Double) {
    let u = 1 - t
    let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
    return (a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0, a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1)
  }

  // MARK: - Numbers

  /// `value` rounded to two decimals, without trailing zeros (`12.5`, `-3`, `0.07`).
  static func format(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e12 else { return "\(value)" }
    let hundredths = Int64((value * 100).rounded())
    if hundredths == 0 { return "0" }
    let magnitude = hundredths.magnitude
    var out = hundredths < 0 ? "-" : ""
    out += String(magnitude / 100)
    let fraction = magnitude % 100
    if fraction != 0 {
      out += fraction < 10 ? ".0" : "."
      out += String(fraction % 10 == 0 ? fraction / 10 : fraction)
    }
    return out
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> Substring {
    let start = firstIndex(where: { $0 != " " }) ?? endIndex
    let end = lastIndex(where: { $0 != " " }).map { index(after: $0) } ?? start
    return self[start..<Swift.max(start, end)]
  }
}
