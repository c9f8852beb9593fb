/// Captions: a line of inline Markdown rendered by cmark, without the `<p>` wrapper.
/// Roles (`{ref}`, `{value}`, `{demo}`) work in captions as in prose.
enum InlineMarkdown {
  /// A role found in a caption, with its column offset (bytes) in the caption text.
  struct CaptionRole {
    var name: String
    var content: String
    var columnOffset: Int
  }

  /// HTML of `text`; each role is replaced by `role(name, content)` (nil keeps it as written).
  static func html(_ text: String, role: (InlineRole.Name, String) -> String? = { _, _ in nil }) -> String {
    guard !text.isEmpty else { return "" }
    let document = MarkdownDocument(text: text)
    var edits: [MarkdownDocument.NodeID: MarkdownDocument.Edit] = [:]
    for node in document.nodes where node.kind == .code {
      guard let previousID = node.previous, case let previous = document[previousID], previous.kind == .text,
            let name = Chapter.trailingRoleName(previous.literal).flatMap(InlineRole.Name.init),
            let html = role(name, node.literal)
      else { continue }
      edits[previousID] = .literal(Chapter.strippingRoleName(previous.literal))
      edits[node.id] = .html(html, block: false)
    }
    var html = document.html(applying: edits).document.trimmed
    while html.hasSuffix("\n") { html.removeLast() }
    if html.hasPrefix("<p>") && html.hasSuffix("</p>") {
      html = String(html.dropFirst(3).dropLast(4))
    }
    return html
  }

  /// The roles in a caption (for checking their references).
  static func roles(in text: String) -> [CaptionRole] {
    guard !text.isEmpty else { return [] }
    let document = MarkdownDocument(text: text)
    var out: [CaptionRole] = []
    for node in document.nodes where node.kind == .code {
      guard let previousID = node.previous, case let previous = document[previousID], previous.kind == .text,
            let name = Chapter.trailingRoleName(previous.literal)
      else { continue }
      let column = previous.endColumn - name.utf8.count - 1
      out.append(CaptionRole(name: name, content: node.literal, columnOffset: column - 1))
    }
    return out
  }

  /// Plain text for `alt` attributes (roles shown by their content).
  static func text(_ text: String) -> String {
    guard !text.isEmpty else { return "" }
    let document = MarkdownDocument(text: text)
    return document.nodes.first?.plainText.trimmed ?? ""
  }
}
