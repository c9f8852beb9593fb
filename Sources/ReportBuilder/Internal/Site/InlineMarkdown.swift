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
    for node in document.allNodes() where MarkdownDocument.type(of: node) == MarkdownDocument.code {
      guard let previous = MarkdownDocument.previous(of: node),
            MarkdownDocument.type(of: previous) == MarkdownDocument.text,
            let name = Chapter.trailingRoleName(MarkdownDocument.literal(of: previous)).flatMap(InlineRole.Name.init),
            let html = role(name, MarkdownDocument.literal(of: node))
      else { continue }
      Chapter.stripRoleName(from: previous)
      MarkdownDocument.replace(node, withHTML: html, block: false)
    }
    var html = document.html().trimmed
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
    for node in document.allNodes() where MarkdownDocument.type(of: node) == MarkdownDocument.code {
      guard let previous = MarkdownDocument.previous(of: node),
            MarkdownDocument.type(of: previous) == MarkdownDocument.text,
            let name = Chapter.trailingRoleName(MarkdownDocument.literal(of: previous))
      else { continue }
      let column = MarkdownDocument.endColumn(of: previous) - name.utf8.count - 1
      out.append(CaptionRole(name: name, content: MarkdownDocument.literal(of: node), columnOffset: column - 1))
    }
    return out
  }

  /// Plain text for `alt` attributes (roles shown by their content).
  static func text(_ text: String) -> String {
    guard !text.isEmpty else { return "" }
    let document = MarkdownDocument(text: text)
    return MarkdownDocument.plainText(of: document.root).trimmed
  }
}
