/// Splits fenced code blocks into ``DirectiveBlock``s, with exact source positions.
///
/// Positions come from the raw source lines, so they stay right inside block quotes
/// and list items: the block's literal lines are suffixes of the raw lines.
enum DirectiveParser {
  /// Whether a fence info string opens a directive (`{` as its first character).
  static func isDirective(info: String) -> Bool { info.hasPrefix("{") }

  /// Parses one directive.
  ///
  /// - Parameters:
  ///   - info: the fence info string, e.g. `{figure} fig-a`.
  ///   - literal: the block's content (the body lines, each ending in a newline).
  ///   - fenceLine: 1-based line of the opening fence.
  ///   - sourceLines: the chapter's raw lines (without newlines).
  ///   - file: display path of the chapter.
  /// - Returns: the block, or `nil` with a diagnostic when the info string is malformed.
  static func parse(
    info: String, literal: String, fenceLine: Int, sourceLines: [Substring], file: String,
    diagnostics: inout DiagnosticList
  ) -> DirectiveBlock? {
    let fenceText = line(fenceLine, of: sourceLines)
    let braceOffset = fenceText.utf8.firstIndex(of: UInt8(ascii: "{"))
      .map { fenceText.utf8.distance(from: fenceText.utf8.startIndex, to: $0) } ?? 0
    let location = SourceLocation(file: file, line: fenceLine, column: braceOffset + 1)

    let infoBytes = Array(info.utf8)
    guard let close = infoBytes.firstIndex(of: UInt8(ascii: "}")) else {
      diagnostics.error(location, "malformed directive `\(info)`: expected `{name}` at the start of the fence")
      return nil
    }
    let name = String(decoding: infoBytes[1..<close], as: UTF8.self)
    let afterName = infoBytes[(close + 1)...]
    let leading = afterName.prefix { $0 == 0x20 || $0 == 0x09 }.count
    let argument = String(decoding: afterName, as: UTF8.self).trimmed
    let argumentLocation = SourceLocation(
      file: file, line: fenceLine, column: location.column + close + 1 + leading)

    var entries: [DirectiveBlock.Entry] = []
    var textLines: [DirectiveBlock.Line] = []
    let bodyIsEntries = DirectiveRegistry.kind(named: name)?.bodyIsEntries ?? true
    var bodyLines = literal.split(separator: "\n", omittingEmptySubsequences: false)
    if bodyLines.last == "" { bodyLines.removeLast() }
    for (index, bodyLine) in bodyLines.enumerated() {
      let lineNumber = fenceLine + 1 + index
      let raw = line(lineNumber, of: sourceLines)
      // Bytes of container prefix (`> `, list indentation) stripped by cmark.
      let prefix = max(0, raw.utf8.count - bodyLine.utf8.count)
      let content = stripComment(String(bodyLine))
      let trimmedStart = content.drop { $0 == " " || $0 == "\t" }
      if trimmedStart.isEmpty || trimmedStart.hasPrefix("#") { continue }
      let indent = content.utf8.count - trimmedStart.utf8.count
      let keyLocation = SourceLocation(file: file, line: lineNumber, column: prefix + indent + 1)
      guard bodyIsEntries else {
        let rest = String(bodyLine).utf8.dropFirst(content.utf8.count)
        let comment = String(decoding: rest, as: UTF8.self).trimmed.drop { $0 == "#" }.trimmed
        textLines.append(DirectiveBlock.Line(
          text: String(trimmedStart).trimmed, location: keyLocation, comment: comment.isEmpty ? nil : comment))
        continue
      }
      guard let colon = trimmedStart.firstIndex(of: ":") else {
        diagnostics.error(keyLocation, "expected `key: value`, got `\(String(trimmedStart).trimmed)`")
        continue
      }
      let key = String(trimmedStart[..<colon]).trimmed
      let rest = trimmedStart[trimmedStart.index(after: colon)...]
      let valueLeading = rest.prefix { $0 == " " || $0 == "\t" }.utf8.count
      let keyBytes = trimmedStart.utf8.distance(from: trimmedStart.startIndex, to: colon)
      let valueLocation = SourceLocation(
        file: file, line: lineNumber, column: keyLocation.column + keyBytes + 1 + valueLeading)
      entries.append(DirectiveBlock.Entry(
        key: key, value: String(rest).trimmed, location: keyLocation, valueLocation: valueLocation))
    }

    let fence = fenceText.trimmingLeadingContainer()
    let fenceMarker = String(fence.prefix { $0 == "`" || $0 == "~" })
    let source = fenceMarker + info + "\n" + bodyLines.joined(separator: "\n")
      + (bodyLines.isEmpty ? "" : "\n") + fenceMarker
    return DirectiveBlock(
      name: name, argument: argument, location: location, argumentLocation: argumentLocation,
      entries: entries, lines: textLines, source: source)
  }

  /// Drops a trailing comment: `#` preceded by whitespace and followed by whitespace
  /// or the end of the line (so `caption: seed #3` keeps its `#3`).
  static func stripComment(_ line: String) -> String {
    let chars = Array(line)
    var i = 1
    while i < chars.count {
      if chars[i] == "#", chars[i - 1] == " " || chars[i - 1] == "\t",
         i + 1 == chars.count || chars[i + 1] == " " || chars[i + 1] == "\t" {
        return String(chars[..<(i - 1)])
      }
      i += 1
    }
    return line
  }

  private static func line(_ number: Int, of lines: [Substring]) -> Substring {
    number >= 1 && number <= lines.count ? lines[number - 1] : ""
  }
}

extension StringProtocol {
  /// The string without leading and trailing spaces and tabs.
  var trimmed: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }),
          let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" })
    else { return "" }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[first...last])
    return String(view)
  }

  /// Drops block-quote markers and indentation in front of a fence.
  func trimmingLeadingContainer() -> Substring {
    let text = Substring(self)
    return text.drop { $0 == " " || $0 == ">" || $0 == "\t" }
  }
}
