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
    var out: [UInt8] = []
    out.reserveCapacity(svg.count / 3)
    var classes: [[UInt8]: Int] = [:]
    var rules: [[UInt8]] = []
    var headerEnd: Int?
    /// The open group of consecutive circles: its class and indentation (spaces).
    var circleGroup: (style: Int, indent: Int)? = nil

    func className(_ style: ArraySlice<UInt8>) -> Int {
      let key = Array(style)
      if let index = classes[key] { return index }
      rules.append(key)
      classes[key] = rules.count
      return rules.count
    }
    func closeGroup() {
      if let group = circleGroup {
        out.append(contentsOf: repeatElement(Byte.space, count: group.indent))
        out.append(contentsOf: "</g>\n".utf8)
        circleGroup = nil
      }
    }

    // Cairo writes one element per line; every piece between newlines is a line
    // (the piece after a final newline is empty).
    var lineStart = 0
    while lineStart <= svg.count {
      let lineEnd = svg[lineStart...].firstIndex(of: Byte.newline) ?? svg.count
      defer { lineStart = lineEnd + 1 }
      var start = lineStart
      while start < lineEnd, svg[start] == Byte.space { start += 1 }
      let indent = start - lineStart
      let line = svg[lineStart..<lineEnd]
      let trimmed = svg[start..<lineEnd]
      if headerEnd == nil {
        out.append(contentsOf: line)
        out.append(Byte.newline)
        if trimmed.starts(with: "<svg ".utf8) { headerEnd = out.count }
        continue
      }
      if trimmed.starts(with: Self.pathStylePrefix), let circle = circle(in: trimmed) {
        let style = className(circle.style)
        if circleGroup?.style != style || circleGroup?.indent != indent {
          closeGroup()
          out.append(contentsOf: repeatElement(Byte.space, count: indent))
          out.append(contentsOf: "<g class=\"s\(style)\">\n".utf8)
          circleGroup = (style, indent)
        }
        out.append(contentsOf: repeatElement(Byte.space, count: indent))
        out.append(contentsOf: "<circle cx=\"".utf8)
        appendFormatted(circle.cx, to: &out)
        out.append(contentsOf: "\" cy=\"".utf8)
        appendFormatted(circle.cy, to: &out)
        out.append(contentsOf: "\" r=\"".utf8)
        appendFormatted(circle.r, to: &out)
        out.append(contentsOf: "\"/>\n".utf8)
        continue
      }
      closeGroup()
      if trimmed.starts(with: "<path ".utf8) || trimmed.starts(with: "<g style=\"".utf8)
        || trimmed.starts(with: "<use ".utf8)
      {
        out.append(contentsOf: repeatElement(Byte.space, count: indent))
        rewrite(trimmed, className: className, into: &out)
      } else {
        out.append(contentsOf: line)
      }
      out.append(Byte.newline)
    }
    closeGroup()
    // The empty piece after a final newline got a newline of its own: drop it.
    if svg.last == Byte.newline { out.removeLast() }
    guard let headerEnd, !rules.isEmpty else { return out }
    var css = Array("<style type=\"text/css\"><![CDATA[\n".utf8)
    for (index, rule) in rules.enumerated() {
      css.append(contentsOf: ".s\(index + 1){".utf8)
      css.append(contentsOf: trimmingSpaces(rule[...]))
      css.append(contentsOf: "}\n".utf8)
    }
    css.append(contentsOf: "]]></style>\n".utf8)
    out.insert(contentsOf: css, at: headerEnd)
    return out
  }

  private enum Byte {
    static let space = UInt8(ascii: " ")
    static let newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")
    static let equals = UInt8(ascii: "=")
  }

  private static let pathStylePrefix = Array("<path style=\"".utf8)
  private static let pathDataStart = Array("\" d=\"".utf8)
  private static let pathSuffix = Array("\"/>".utf8)

  // MARK: - Elements

  /// Appends the element with its `style` replaced by a class and its numbers rounded.
  private static func rewrite(
    _ element: ArraySlice<UInt8>, className: (ArraySlice<UInt8>) -> Int, into out: inout [UInt8]
  ) {
    var index = element.startIndex
    while let (nameStart, nameEnd, close) = nextAttribute(in: element[index...]) {
      out.append(contentsOf: element[index..<nameStart])
      let name = element[nameStart..<nameEnd]
      let value = element[(nameEnd + 2)..<close]
      if name.elementsEqual("style".utf8) {
        out.append(contentsOf: "class=\"s\(className(value))\"".utf8)
      } else if name.elementsEqual("d".utf8) {
        out.append(contentsOf: "d=\"".utf8)
        appendRoundedPath(value, to: &out)
        out.append(Byte.quote)
      } else if name.elementsEqual("x".utf8) || name.elementsEqual("y".utf8), let number = number(value) {
        out.append(contentsOf: name)
        out.append(contentsOf: "=\"".utf8)
        appendFormatted(number, to: &out)
        out.append(Byte.quote)
      } else {
        out.append(contentsOf: element[nameStart...close])
      }
      index = close + 1
    }
    out.append(contentsOf: element[index...])
  }

  /// The next ` name="value"` attribute: where its name starts and ends, and the
  /// index of the closing quote.
  private static func nextAttribute(in text: ArraySlice<UInt8>) -> (Int, Int, Int)? {
    var index = text.startIndex
    while let space = text[index...].firstIndex(of: Byte.space) {
      let nameStart = space + 1
      guard let equals = text[nameStart...].firstIndex(of: Byte.equals) else { return nil }
      let name = text[nameStart..<equals]
      let quote = equals + 1
      if !name.isEmpty, !name.contains(Byte.space), quote < text.endIndex, text[quote] == Byte.quote,
        let close = text[(quote + 1)...].firstIndex(of: Byte.quote)
      {
        return (nameStart, equals, close)
      }
      index = nameStart
    }
    return nil
  }

  /// Appends path data with every number rounded to two decimals.
  private static func appendRoundedPath(_ data: ArraySlice<UInt8>, to out: inout [UInt8]) {
    var first = true
    for token in data.split(separator: Byte.space) {
      if !first { out.append(Byte.space) }
      first = false
      if let number = number(token) { appendFormatted(number, to: &out) } else { out.append(contentsOf: token) }
    }
  }

  /// The number an ASCII token spells (as `Double(String)` reads it), if any.
  private static func number(_ token: ArraySlice<UInt8>) -> Double? {
    Double(String(decoding: token, as: UTF8.self))
  }

  // MARK: - Circles

  /// A `<path style="…" d="…"/>` whose data is one closed chain of cubic Béziers that
  /// traces a circle, as Cairo writes `cairo_arc` over 2π.
  static func circle(
    in element: ArraySlice<UInt8>
  ) -> (style: ArraySlice<UInt8>, cx: Double, cy: Double, r: Double)? {
    let prefixEnd = element.startIndex + pathStylePrefix.count
    let suffixStart = element.endIndex - pathSuffix.count
    guard element.starts(with: pathStylePrefix), suffixStart >= prefixEnd,
      element[suffixStart...].elementsEqual(pathSuffix),
      let split = firstRange(of: pathDataStart, in: element),
      split.lowerBound >= prefixEnd, split.upperBound <= suffixStart
    else { return nil }
    let style = element[prefixEnd..<split.lowerBound]
    let data = element[split.upperBound..<suffixStart]
    guard !style.contains(Byte.quote), !data.contains(Byte.quote) else { return nil }
    let tokens = data.split(separator: Byte.space)
    guard tokens.count >= 3, tokens[0].elementsEqual("M".utf8), let x0 = number(tokens[1]),
      let y0 = number(tokens[2])
    else { return nil }
    var points = [(x0, y0)]
    var segments: [[(Double, Double)]] = []
    var i = 3
    while i < tokens.count {
      guard tokens[i].elementsEqual("C".utf8), i + 6 < tokens.count else { return nil }
      var segment = [points[points.count - 1]]
      for k in 0..<3 {
        guard let x = number(tokens[i + 1 + 2 * k]), let y = number(tokens[i + 2 + 2 * k]) else { return nil }
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
    var out: [UInt8] = []
    appendFormatted(value, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends ``format(_:)`` of `value`.
  static func appendFormatted(_ value: Double, to out: inout [UInt8]) {
    guard value.isFinite, abs(value) < 1e12 else {
      out.append(contentsOf: "\(value)".utf8)
      return
    }
    let hundredths = Int64((value * 100).rounded())
    if hundredths == 0 {
      out.append(UInt8(ascii: "0"))
      return
    }
    let magnitude = hundredths.magnitude
    if hundredths < 0 { out.append(UInt8(ascii: "-")) }
    appendDigits(magnitude / 100, to: &out)
    let fraction = magnitude % 100
    if fraction != 0 {
      out.append(UInt8(ascii: "."))
      if fraction < 10 { out.append(UInt8(ascii: "0")) }
      appendDigits(fraction % 10 == 0 ? fraction / 10 : fraction, to: &out)
    }
  }

  /// Appends the decimal digits of `value`, most significant first.
  private static func appendDigits(_ value: UInt64, to out: inout [UInt8]) {
    var divisor: UInt64 = 1
    while divisor <= value / 10 { divisor *= 10 }
    repeat {
      out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
      divisor /= 10
    } while divisor > 0
  }

  /// The first occurrence of `pattern` in `text`.
  private static func firstRange(of pattern: [UInt8], in text: ArraySlice<UInt8>) -> Range<Int>? {
    guard let first = pattern.first, text.count >= pattern.count else { return nil }
    var index = text.startIndex
    let last = text.endIndex - pattern.count
    while index <= last {
      if text[index] == first, text[index..<(index + pattern.count)].elementsEqual(pattern) {
        return index..<(index + pattern.count)
      }
      index += 1
    }
    return nil
  }

  private static func trimmingSpaces(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    let start = text.firstIndex(where: { $0 != Byte.space }) ?? text.endIndex
    let end = text.lastIndex(where: { $0 != Byte.space }).map { $0 + 1 } ?? start
    return text[start..<max(start, end)]
  }
}
