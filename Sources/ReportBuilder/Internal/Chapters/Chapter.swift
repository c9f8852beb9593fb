import Foundation

/// One chapter file, parsed: its cmark tree plus the directives, roles and headings
/// found in it, with their nodes so the renderer can replace them in place.
///
/// A chapter owns a ``MarkdownDocument`` (a C tree), so it is used on one thread.
final class Chapter {
  struct DirectiveSite {
    var node: MarkdownDocument.Node
    var block: DirectiveBlock
  }

  struct RoleSite {
    /// The text node ending in `{name}`; its suffix is removed when rendering.
    var textNode: MarkdownDocument.Node
    /// The code span; replaced by the generated HTML.
    var codeNode: MarkdownDocument.Node
    var role: InlineRole
  }

  struct CodeSite {
    var node: MarkdownDocument.Node
    var language: String
    var code: String
  }

  struct Heading {
    var node: MarkdownDocument.Node
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
  private(set) var firstParagraph: MarkdownDocument.Node?

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

  private func collect(lines: [Substring], diagnostics: inout DiagnosticList) {
    var roleIndex = 0
    for node in document.allNodes() {
      let type = MarkdownDocument.type(of: node)
      if type == MarkdownDocument.codeBlock {
        guard let info = MarkdownDocument.fenceInfo(of: node) else { continue }
        let literal = MarkdownDocument.literal(of: node)
        if DirectiveParser.isDirective(info: info) {
          if let block = DirectiveParser.parse(
            info: info, literal: literal, fenceLine: MarkdownDocument.startLine(of: node),
            sourceLines: lines, file: displayPath, diagnostics: &diagnostics) {
            directives.append(DirectiveSite(node: node, block: block))
          }
        } else {
          let language = info.split(separator: " ").first.map(String.init) ?? ""
          if Highlighter.Language(name: language) != nil {
            codeBlocks.append(CodeSite(node: node, language: language, code: literal))
          }
        }
      } else if type == MarkdownDocument.code {
        guard let previous = MarkdownDocument.previous(of: node),
              MarkdownDocument.type(of: previous) == MarkdownDocument.text else { continue }
        let text = MarkdownDocument.literal(of: previous)
        guard let name = Self.trailingRoleName(text) else { continue }
        let endColumn = MarkdownDocument.endColumn(of: previous)
        let location = SourceLocation(
          file: displayPath, line: MarkdownDocument.endLine(of: previous),
          column: max(1, endColumn - name.utf8.count - 1))
        guard let roleName = InlineRole.Name(rawValue: name) else {
          diagnostics.error(
            location,
            "unknown role `{\(name)}`" + Suggestion.hint(for: name, in: InlineRole.Name.allCases.map(\.rawValue)))
          continue
        }
        let role = InlineRole(
          name: roleName, content: MarkdownDocument.literal(of: node), location: location, index: roleIndex)
        roleIndex += 1
        roles.append(RoleSite(textNode: previous, codeNode: node, role: role))
      } else if type == MarkdownDocument.heading {
        headings.append(Heading(
          node: node, level: MarkdownDocument.headingLevel(of: node),
          text: MarkdownDocument.plainText(of: node)))
      } else if type == MarkdownDocument.paragraph, firstParagraph == nil,
                MarkdownDocument.parent(of: node).map(MarkdownDocument.type(of:)) == MarkdownDocument.documentType {
        firstParagraph = node
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

  /// Removes a role's `{name}` from the end of its text node (before rendering).
  static func stripRoleName(from node: MarkdownDocument.Node) {
    let text = MarkdownDocument.literal(of: node)
    if let open = text.lastIndex(of: "{") {
      MarkdownDocument.setLiteral(node, String(text[..<open]))
    }
  }
}
