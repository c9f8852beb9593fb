import CCmarkGFM

/// Writes the chapter pages and the index: transforms each chapter's tree (directives,
/// roles and highlighted code become HTML), then fills the page shell (a resource file) with it.
struct PageRenderer {
  struct Page {
    var name: String
    var html: String
  }

  let manuscript: Manuscript
  let content: ContentRenderer
  /// The page shell (a resource file).
  let shell: PageShell

  /// One page per chapter plus `index.html`, in site order.
  func render() -> [Page] {
    var bodies: [(chapter: Chapter, body: String, toc: [(slug: String, text: String)], summary: String)] = []
    for (index, chapter) in manuscript.chapters.enumerated() {
      let edits = edits(for: chapter, contents: manuscript.contents[index])
      let rendered = chapter.document.html(applying: edits, part: chapter.firstParagraph)
      let summary: String
      if let description = chapter.frontMatterDescription {
        summary = InlineMarkdown.html(description)
      } else if let paragraph = rendered.part {
        summary = Self.stripParagraph(paragraph)
      } else {
        summary = ""
      }
      let (body, toc) = Self.anchorHeadings(rendered.document, reserved: Set(manuscript.numbered.keys))
      bodies.append((chapter, body, toc, summary))
    }
    var pages: [Page] = []
    for (index, item) in bodies.enumerated() {
      let previous = index > 0 ? bodies[index - 1].chapter : nil
      let next = index + 1 < bodies.count ? bodies[index + 1].chapter : nil
      var article = item.chapter.titleIsHeading ? "" : "<h1>\(escape(item.chapter.title))</h1>\n"
      article += item.body
      var pager = "<nav class=\"pager\" aria-label=\"Chapters\">"
      if let previous {
        pager += "<a class=\"prev\" rel=\"prev\" href=\"\(previous.name).html\">← \(escape(previous.title))</a>"
      }
      if let next {
        pager += "<a class=\"next\" rel=\"next\" href=\"\(next.name).html\">\(escape(next.title)) →</a>"
      }
      pager += "</nav>\n"
      pages.append(Page(
        name: "\(item.chapter.name).html",
        html: page(title: "\(item.chapter.title) · \(manuscript.title)",
                   sidebar: sidebar(current: item.chapter.name, toc: item.toc),
                   main: "<article>\n\(article)</article>\n\(pager)")))
    }
    var list = "<h1>\(escape(manuscript.title))</h1>\n</article>\n<ol class=\"index-list\">\n"
    for item in bodies {
      list += "<li><a class=\"chapter-title\" href=\"\(item.chapter.name).html\">\(escape(item.chapter.title))</a>"
      if !item.summary.isEmpty { list += "\n<p>\(item.summary)</p>" }
      list += "</li>\n"
    }
    list += "</ol>\n"
    pages.insert(
      Page(name: "index.html",
           html: page(title: manuscript.title, sidebar: sidebar(current: nil, toc: []), main: "<article>\n" + list)),
      at: 0)
    return pages
  }

  // MARK: - Tree transformation

  /// What becomes of the chapter's nodes: directives, roles and highlighted code
  /// become HTML (the chapter's document itself is not changed).
  private func edits(for chapter: Chapter, contents: [(any Directive)?])
    -> [MarkdownDocument.NodeID: MarkdownDocument.Edit] {
    var edits: [MarkdownDocument.NodeID: MarkdownDocument.Edit] = [:]
    for (site, content) in zip(chapter.directives, contents) {
      guard let content else { continue }
      let html = (content.echo ? self.content.echo(site.block) : "") + content.html(in: self.content)
      edits[site.node] = .html(html, block: true)
    }
    for role in chapter.roles {
      edits[role.textNode] = .literal(Chapter.strippingRoleName(chapter.document[role.textNode].literal))
      edits[role.codeNode] = .html(content.html(for: role.role), block: false)
    }
    for code in chapter.codeBlocks {
      guard let language = Highlighter.Language(name: code.language) else { continue }
      let html = "<pre class=\"code\"><code class=\"language-\(escape(code.language))\">"
        + Highlighter.html(code.code, language: language) + "</code></pre>\n"
      edits[code.node] = .html(html, block: true)
    }
    return edits
  }

  /// Gives every `<h2>` an id (a slug of its text) and returns the h2 table of contents.
  static func anchorHeadings(_ html: String, reserved: Set<String>) -> (String, [(slug: String, text: String)]) {
    var used = reserved
    var toc: [(String, String)] = []
    var out = ""
    var rest = Substring(html)
    while let open = rest.range(of: "<h2>") {
      out += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].range(of: "</h2>") else { break }
      let inner = rest[open.upperBound..<close.lowerBound]
      let text = String(inner).replacingTagsWithNothing()
      var slug = slugify(text)
      if slug.isEmpty { slug = "section" }
      var unique = slug
      var n = 2
      while used.contains(unique) {
        unique = "\(slug)-\(n)"
        n += 1
      }
      used.insert(unique)
      toc.append((unique, text))
      out += "<h2 id=\"\(unique)\">\(inner)</h2>"
      rest = rest[close.upperBound...]
    }
    out += rest
    return (out, toc)
  }

  static func slugify(_ text: String) -> String {
    var slug = ""
    var dash = false
    for scalar in text.lowercased().unicodeScalars {
      if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
        if dash && !slug.isEmpty { slug += "-" }
        slug.unicodeScalars.append(scalar)
        dash = false
      } else {
        dash = true
      }
    }
    return slug
  }

  static func stripParagraph(_ html: String) -> String {
    var text = html
    while text.hasSuffix("\n") { text.removeLast() }
    if text.hasPrefix("<p>") && text.hasSuffix("</p>") { text = String(text.dropFirst(3).dropLast(4)) }
    return text
  }

  // MARK: - Template

  private func sidebar(current: String?, toc: [(slug: String, text: String)]) -> String {
    var html = "<nav class=\"sidebar\" aria-label=\"Contents\">\n"
    html += "<p class=\"sidebar-title\"><a href=\"index.html\">\(escape(manuscript.title))</a></p>\n<ol class=\"toc\">\n"
    for chapter in manuscript.chapters {
      let isCurrent = chapter.name == current
      html += "<li\(isCurrent ? " class=\"current\"" : "")><a href=\"\(chapter.name).html\""
        + (isCurrent ? " aria-current=\"page\"" : "") + ">\(escape(chapter.title))</a>"
      if isCurrent && !toc.isEmpty {
        html += "\n<ol>\n" + toc.map { "<li><a href=\"#\($0.slug)\">\(escape($0.text))</a></li>\n" }.joined()
          + "</ol>\n"
      }
      html += "</li>\n"
    }
    return html + "</ol>\n</nav>\n"
  }

  private func page(title: String, sidebar: String, main: String) -> String {
    shell.fill(["title": escape(title), "site-title": escape(manuscript.title), "sidebar": sidebar, "main": main])
  }
}
