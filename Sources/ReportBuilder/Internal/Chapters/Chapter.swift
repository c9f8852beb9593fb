import Foundation

/// One chapter file, parsed: its Markdown document plus the directives, roles and
/// headings found in it, with their node ids so the renderer can replace them.
struct Chapter: Sendable {
  struct DirectiveSite: Sendable {
    var node: MarkdownDocument.NodeID
    var block: DirectiveBlock
  }

  struct RoleSite: Sendable {
    /// The text node ending in `{name}`; its suffix is removed when rendering.
    var textNode: MarkdownDocument.NodeID
    /// The code span; replaced by the generated HTML.
    var codeNode: MarkdownDocument.NodeID
    var role: InlineRole
  }

  struct CodeSite: Sendable {
    var node: MarkdownDocument.NodeID
    var language: String
    var code: String
  }

  struct Heading: Sendable {
    var node: MarkdownDocument.NodeID
    var level: Int
    var text: String
  }

  /// File name without `.md`, e.g. `01-stage`; also the page's name (`01-stage.html`).
  let name: String
  /// Path as shown in diagnostics, e.g. `chapters/01-stage.md`.
  let displayPath: String
  let source: String
  let document: MarkdownDocument
  /// From front matter `title:` or the first `#` heading.
  private(set) var title = ""
  /// Whether the title is the document's own first `#` heading (so the page has its h1).
  private(set) var titleIsHeading = false
  /// Front matter `description:`; otherwise the index shows the first paragraph.
  private(set) var frontMatterDescription: String?
  /// Front matter `report-title:` (the site's title; the first chapter that sets it wins).
  private(set) var reportTitle: String?
  private(set) var directives: [DirectiveSite] = []
  private(set) var roles: [RoleSite] = []
  private(set) var codeBlocks: [CodeSite] = []
  private(set) var headings: [Heading] = []
  private(set) var firstParagraph: MarkdownDocument.NodeID?

  static let frontMatterKeys = ["title", "description", "report-title"]

  /// Parses `source`, recording every mistake in `diagnostics`.
  init(name: String, displayPath: String, source: String, diagnostics: inout DiagnosticList) {
    self.name = name
    self.displayPath = displayPath
    self.source = source
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    // Front matter lines become blank lines, so cmark's line numbers stay the file's.
    var markdownLines = lines.map(String.init)
    var frontMatter: [String: String] = [:]
    if lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") {
      for index in 1..<end {
        let line = lines[index]
        let location = SourceLocation(file: displayPath, line: index + 1, column: 1)
        if line.trimmed.isEmpty || line.trimmed.hasPrefix("#") { continue }
        guard let colon = line.firstIndex(of: ":") else {
          diagnostics.error(location, "expected `key: value` in front matter, got `\(line.trimmed)`")
          continue
        }
        let key = line[..<colon].trimmed
        var value = line[line.index(after: colon)...].trimmed
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
          value = String(value.dropFirst().dropLast())
        }
        guard Self.frontMatterKeys.contains(key) else {
          diagnostics.error(
            location, "unknown front matter key `\(key)`" + Suggestion.hint(for: key, in: Self.frontMatterKeys))
          continue
        }
        frontMatter[key] = value
      }
      for index in 0...end { markdownLines[index] = "" }
    }
    document = MarkdownDocument(text: markdownLines.joined(separator: "\n"))
    collect(lines: lines, diagnostics: &diagnostics)

    if let value = frontMatter["title"], !value.isEmpty {
      title = value
    } else if let heading = headings.first(where: { $0.level == 1 }) {
      title = heading.text
      titleIsHeading = true
    } else {
      diagnostics.error(
        SourceLocation(file: displayPath, line: 1, column: 1),
        "chapter has no title: add front matter `title: …` or a `# Heading`")
    }
    frontMatterDescription = frontMatter["description"]
    reportTitle = frontMatter["report-title"]
  }

  private mutating func collect(lines: [Substring], diagnostics: inout DiagnosticList) {
    var roleIndex = 0
    for node in document.nodes {
      switch node.kind {
      case .codeBlock:
        guard let info = node.fenceInfo else { continue }
        if DirectiveParser.isDirective(info: info) {
          if let block = DirectiveParser.parse(
            info: info, literal: node.literal, fenceLine: node.startLine,
            sourceLines: lines, file: displayPath, diagnostics: &diagnostics) {
            directives.append(DirectiveSite(node: node.id, block: block))
          }
        } else {
          let language = info.split(separator: " ").first.map(String.init) ?? ""
          if Highlighter.Language(name: language) != nil {
            codeBlocks.append(CodeSite(node: node.id, language: language, code: node.literal))
          }
        }
      case .code:
        guard let previousID = node.previous, case let previous = document[previousID],
              previous.kind == .text else { continue }
        guard let name = Self.trailingRoleName(previous.literal) else { continue }
        let location = SourceLocation(
          file: displayPath, line: previous.endLine,
          column: max(1, previous.endColumn - name.utf8.count - 1))
        guard let roleName = InlineRole.Name(rawValue: name) else {
          diagnostics.error(
            location,
            "unknown role `{\(name)}`" + Suggestion.hint(for: name, in: InlineRole.Name.allCases.map(\.rawValue)))
          continue
        }
        let role = InlineRole(name: roleName, content: node.literal, location: location, index: roleIndex)
        roleIndex += 1
        roles.append(RoleSite(textNode: previousID, codeNode: node.id, role: role))
      case .heading:
        headings.append(Heading(node: node.id, level: node.headingLevel, text: node.plainText))
      case .paragraph where firstParagraph == nil && node.parentKind == .document:
        firstParagraph = node.id
      default:
        continue
      }
    }
  }

  /// `name` when `text` ends in `{name}` with `name` in `[a-z]+`.
  static func trailingRoleName(_ text: String) -> String? {
    guard text.hasSuffix("}"), let open = text.lastIndex(of: "{") else { return nil }
    let name = text[text.index(after: open)..<text.index(before: text.endIndex)]
    guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else { return nil }
    return String(name)
  }

  /// A role's text node without its trailing `{name}` (applied when rendering).
  static func strippingRoleName(_ text: String) -> String {
    guard let open = text.lastIndex(of: "{") else { return text }
    return String(text[..<open])
  }
}
