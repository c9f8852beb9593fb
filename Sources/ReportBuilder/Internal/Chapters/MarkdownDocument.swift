import CCmarkGFM
import Foundation

/// A parsed CommonMark + GFM document, owning its cmark node tree.
///
/// Nodes are handed out as raw pointers that stay valid while the document lives;
/// the tree is edited in place (directives and roles become custom nodes) and then
/// rendered to HTML.
final class MarkdownDocument {
  typealias Node = OpaquePointer

  let root: Node
  private let extensions: UnsafeMutablePointer<cmark_llist>?
  private let parser: OpaquePointer?

  /// Parse options: footnotes on, smart punctuation off, raw HTML stays escaped (safe).
  static let parseOptions = CMARK_OPT_FOOTNOTES
  static let renderOptions = CMARK_OPT_DEFAULT

  /// Parses `text` with the GFM table, strikethrough, autolink and tasklist extensions.
  init(text: String) {
    cmark_gfm_core_extensions_ensure_registered()
    guard let parser = cmark_parser_new(Self.parseOptions) else {
      preconditionFailure("cmark_parser_new failed (out of memory)")
    }
    for name in ["table", "strikethrough", "autolink", "tasklist"] {
      if let ext = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, ext)
      }
    }
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
      }
    }
    guard let root = cmark_parser_finish(parser) else {
      preconditionFailure("cmark_parser_finish failed (out of memory)")
    }
    self.root = root
    self.extensions = cmark_parser_get_syntax_extensions(parser)
    self.parser = parser
  }

  deinit {
    cmark_node_free(root)
    cmark_parser_free(parser)
  }

  /// Every node in document order (pre-order), collected before any edit.
  func allNodes() -> [Node] {
    var nodes: [Node] = []
    guard let iterator = cmark_iter_new(root) else { return nodes }
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) {
        nodes.append(node)
      }
    }
    return nodes
  }

  /// HTML of the whole document.
  func html() -> String { html(of: root) }

  /// HTML of one node and its children.
  func html(of node: Node) -> String {
    guard let cString = cmark_render_html(node, Self.renderOptions, extensions) else { return "" }
    defer { free(cString) }
    return String(cString: cString)
  }

  /// Plain text of a node's inline content (for titles, anchors and alt texts).
  static func plainText(of node: Node) -> String {
    var text = ""
    guard let iterator = cmark_iter_new(node) else { return text }
    defer { cmark_iter_free(iterator) }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator) else { continue }
      let type = cmark_node_get_type(current)
      if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
        text += literal(of: current)
      } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
        text += " "
      } else if type == CMARK_NODE_CUSTOM_INLINE {
        text += String(cString: cmark_node_get_on_enter(current))
          .replacingTagsWithNothing()
      }
    }
    return text
  }

  static func type(of node: Node) -> cmark_node_type { cmark_node_get_type(node) }

  static func literal(of node: Node) -> String {
    guard let pointer = cmark_node_get_literal(node) else { return "" }
    return String(cString: pointer)
  }

  static func fenceInfo(of node: Node) -> String? {
    var length: Int32 = 0, offset: Int32 = 0
    var character: CChar = 0
    guard cmark_node_get_fenced(node, &length, &offset, &character) != 0,
          let pointer = cmark_node_get_fence_info(node) else { return nil }
    return String(cString: pointer)
  }

  static func startLine(of node: Node) -> Int { Int(cmark_node_get_start_line(node)) }
  static func startColumn(of node: Node) -> Int { Int(cmark_node_get_start_column(node)) }
  static func endColumn(of node: Node) -> Int { Int(cmark_node_get_end_column(node)) }
  static func headingLevel(of node: Node) -> Int { Int(cmark_node_get_heading_level(node)) }

  static func setLiteral(_ node: Node, _ text: String) {
    _ = cmark_node_set_literal(node, text)
  }

  /// Replaces `node` with a custom block or inline whose HTML is `html`; frees `node`.
  static func replace(_ node: Node, withHTML html: String, block: Bool) {
    guard let custom = cmark_node_new(block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE)
    else { preconditionFailure("cmark_node_new failed (out of memory)") }
    _ = cmark_node_set_on_enter(custom, html)
    _ = cmark_node_set_on_exit(custom, "")
    _ = cmark_node_replace(node, custom)
    cmark_node_free(node)
  }

  /// Unlinks and frees `node`.
  static func remove(_ node: Node) {
    cmark_node_unlink(node)
    cmark_node_free(node)
  }

  static func next(of node: Node) -> Node? { cmark_node_next(node) }
}

extension String {
  /// Drops `<…>` tags (of our own generated HTML) and decodes the basic entities.
  func replacingTagsWithNothing() -> String {
    var out = ""
    var inTag = false
    for character in self {
      if character == "<" { inTag = true; continue }
      if character == ">" { inTag = false; continue }
      if !inTag { out.append(character) }
    }
    return out.replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}

extension MarkdownDocument {
  static func previous(of node: Node) -> Node? { cmark_node_previous(node) }
  static func parent(of node: Node) -> Node? { cmark_node_parent(node) }
  static func endLine(of node: Node) -> Int { Int(cmark_node_get_end_line(node)) }
  static func firstChild(of node: Node) -> Node? { cmark_node_first_child(node) }

  static var codeBlock: cmark_node_type { CMARK_NODE_CODE_BLOCK }
  static var code: cmark_node_type { CMARK_NODE_CODE }
  static var text: cmark_node_type { CMARK_NODE_TEXT }
  static var heading: cmark_node_type { CMARK_NODE_HEADING }
  static var paragraph: cmark_node_type { CMARK_NODE_PARAGRAPH }
}

extension MarkdownDocument {
  static var documentType: cmark_node_type { CMARK_NODE_DOCUMENT }
}
