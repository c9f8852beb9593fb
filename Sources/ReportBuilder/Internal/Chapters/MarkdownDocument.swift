import CCmarkGFM
import Foundation

/// A parsed CommonMark + GFM document.
///
/// The cmark tree never leaves this type: parsing records a read-only snapshot of every
/// node (``nodes``, in document order), and rendering parses a fresh tree, applies the
/// caller's edits to it (a directive or role becomes generated HTML), renders it and
/// frees it. So the document is a plain value: rendering it twice gives the same HTML,
/// and it can be read from any thread.
struct MarkdownDocument: Sendable {
  /// A node's position in document order (pre-order); stable for a given text.
  struct NodeID: Hashable, Sendable {
    let index: Int
  }

  /// The node types the builder looks at.
  enum Kind: Sendable {
    case document, paragraph, heading, codeBlock, code, text, other
  }

  /// What parsing saw of one node.
  struct Node: Sendable {
    var id: NodeID
    var kind: Kind
    /// Text of a text node or code span, body of a code block.
    var literal: String
    /// Info string of a fenced code block.
    var fenceInfo: String?
    var startLine: Int
    var endLine: Int
    var endColumn: Int
    var headingLevel: Int
    /// Plain text of the inline content (headings and the document only).
    var plainText: String
    /// The previous sibling and the parent's kind.
    var previous: NodeID?
    var parentKind: Kind?
  }

  /// A change made to a node when rendering.
  enum Edit: Sendable {
    /// The node becomes this HTML (a block or an inline).
    case html(String, block: Bool)
    /// A text node's text becomes this.
    case literal(String)
  }

  /// Parse options: footnotes on, smart punctuation off, raw HTML stays escaped (safe).
  static let parseOptions = CMARK_OPT_FOOTNOTES
  static let renderOptions = CMARK_OPT_DEFAULT

  let text: String
  /// Every node in document order.
  let nodes: [Node]

  /// Parses `text` with the GFM table, strikethrough, autolink and tasklist extensions.
  init(text: String) {
    self.text = text
    nodes = Self.withTree(text) { root, _ in
      let pointers = Self.preorder(root)
      var index: [OpaquePointer: Int] = [:]
      for (i, pointer) in pointers.enumerated() { index[pointer] = i }
      return pointers.enumerated().map { i, pointer in
        let kind = Self.kind(cmark_node_get_type(pointer))
        return Node(
          id: NodeID(index: i), kind: kind, literal: Self.literal(of: pointer),
          fenceInfo: Self.fenceInfo(of: pointer),
          startLine: Int(cmark_node_get_start_line(pointer)), endLine: Int(cmark_node_get_end_line(pointer)),
          endColumn: Int(cmark_node_get_end_column(pointer)),
          headingLevel: Int(cmark_node_get_heading_level(pointer)),
          plainText: kind == .heading || kind == .document ? Self.plainText(of: pointer) : "",
          previous: cmark_node_previous(pointer).flatMap { index[$0] }.map(NodeID.init),
          parentKind: cmark_node_parent(pointer).map { Self.kind(cmark_node_get_type($0)) })
      }
    }
  }

  subscript(id: NodeID) -> Node { nodes[id.index] }

  /// HTML of the document with `edits` applied, and of node `part` (with the same edits).
  func html(applying edits: [NodeID: Edit] = [:], part: NodeID? = nil) -> (document: String, part: String?) {
    Self.withTree(text) { root, extensions in
      let pointers = Self.preorder(root)
      precondition(pointers.count == nodes.count, "MarkdownDocument: the same text parsed differently")
      for (id, edit) in edits {
        let node = pointers[id.index]
        switch edit {
        case .literal(let text):
          _ = cmark_node_set_literal(node, text)
        case .html(let html, let block):
          guard let custom = cmark_node_new(block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE)
          else { preconditionFailure("cmark_node_new failed (out of memory)") }
          _ = cmark_node_set_on_enter(custom, html)
          _ = cmark_node_set_on_exit(custom, "")
          _ = cmark_node_replace(node, custom)
          cmark_node_free(node)
        }
      }
      let partHTML = part.flatMap { edits[$0] == nil ? Self.render(pointers[$0.index], extensions) : nil }
      return (Self.render(root, extensions), partHTML)
    }
  }

  // MARK: - cmark (the tree lives only inside these functions)

  /// Parses `text`, hands the root to `body`, and frees the tree and the parser.
  private static func withTree<T>(
    _ text: String, _ body: (OpaquePointer, UnsafeMutablePointer<cmark_llist>?) -> T
  ) -> T {
    cmark_gfm_core_extensions_ensure_registered()
    guard let parser = cmark_parser_new(parseOptions) else {
      preconditionFailure("cmark_parser_new failed (out of memory)")
    }
    defer { cmark_parser_free(parser) }
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
    defer { cmark_node_free(root) }
    return body(root, cmark_parser_get_syntax_extensions(parser))
  }

  /// Every node under `root` in document order (pre-order), collected before any edit.
  private static func preorder(_ root: OpaquePointer) -> [OpaquePointer] {
    var nodes: [OpaquePointer] = []
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

  private static func render(_ node: OpaquePointer, _ extensions: UnsafeMutablePointer<cmark_llist>?) -> String {
    guard let cString = cmark_render_html(node, renderOptions, extensions) else { return "" }
    defer { free(cString) }
    return String(cString: cString)
  }

  private static func kind(_ type: cmark_node_type) -> Kind {
    switch type {
    case CMARK_NODE_DOCUMENT: .document
    case CMARK_NODE_PARAGRAPH: .paragraph
    case CMARK_NODE_HEADING: .heading
    case CMARK_NODE_CODE_BLOCK: .codeBlock
    case CMARK_NODE_CODE: .code
    case CMARK_NODE_TEXT: .text
    default: .other
    }
  }

  /// Plain text of a node's inline content (for titles, anchors and alt texts).
  private static func plainText(of node: OpaquePointer) -> String {
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
      }
    }
    return text
  }

  private static func literal(of node: OpaquePointer) -> String {
    guard let pointer = cmark_node_get_literal(node) else { return "" }
    return String(cString: pointer)
  }

  private static func fenceInfo(of node: OpaquePointer) -> String? {
    guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK else { return nil }
    var length: Int32 = 0, offset: Int32 = 0
    var character: CChar = 0
    guard cmark_node_get_fenced(node, &length, &offset, &character) != 0,
          let pointer = cmark_node_get_fence_info(node) else { return nil }
    return String(cString: pointer)
  }
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
