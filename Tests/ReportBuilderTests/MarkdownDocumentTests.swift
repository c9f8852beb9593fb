import Foundation
import Testing

@testable import ReportBuilder

/// The Markdown layer: the parsed document is a value that rendering does not change.
@Suite struct MarkdownDocumentTests {
  @Test func editsApplyToTheRenderedCopyOnly() {
    let document = MarkdownDocument(text: "# Title\n\nLoss {value}`bn.d_loss` here.\n")
    let code = document.nodes.first { $0.kind == .code }!
    let text = document[code.previous!]
    #expect(text.literal == "Loss {value}")
    let edits: [MarkdownDocument.NodeID: MarkdownDocument.Edit] = [
      text.id: .literal("Loss "), code.id: .html("<b>0.693</b>", block: false),
    ]
    let first = document.html(applying: edits)
    #expect(first.document == "<h1>Title</h1>\n<p>Loss <b>0.693</b> here.</p>\n")
    #expect(document.html(applying: edits).document == first.document)
    // The document itself still has the role as written.
    #expect(document.html().document == "<h1>Title</h1>\n<p>Loss {value}<code>bn.d_loss</code> here.</p>\n")
    #expect(document[code.id].literal == "bn.d_loss")
  }

  @Test func renderingAChapterTwiceGivesTheSamePage() throws {
    let project = try TempProject()
    try project.write("01-a.md", """
      # A

      First paragraph with {ref}`fig-data` and {demo}`1, 2, 4`.

      ```{figure} fig-data
      kind: data
      caption: The data, see {ref}`fig-data`.
      echo: true
      ```

      ```swift
      let x = 1
      ```
      """)
    var diagnostics = DiagnosticList()
    let manuscript = Manuscript.load(directory: project.options.chaptersDirectory, diagnostics: &diagnostics)
    #expect(diagnostics.isEmpty)
    let content = ContentRenderer(manuscript: manuscript, index: RunIndex(manuscript, results: [:]), figures: [:])
    let shell = try SiteResources.load().pageShell
    let renderer = PageRenderer(manuscript: manuscript, content: content, shell: shell)
    let first = renderer.render()
    let second = renderer.render()
    #expect(first.map(\.name) == ["index.html", "01-a.html"])
    #expect(first.map(\.html) == second.map(\.html))
    let page = first[1].html
    #expect(page.contains("<figure class=\"figure\" id=\"fig-data\">"))
    #expect(page.contains("<pre class=\"code directive-source\">"))
    #expect(page.contains("<p>First paragraph with <a class=\"ref\" href=\"01-a.html#fig-data\">Figure 1</a>"))
    // The index shows the first paragraph with its roles rendered.
    #expect(first[0].html.contains("First paragraph with <a class=\"ref\" href=\"01-a.html#fig-data\">Figure 1</a>"))
  }

  @Test func pageShellFillsEachPlaceholderOnce() {
    let shell = PageShell(template: "<title>{{title}}</title>{{main}}<p>{{missing}}</p>")
    #expect(shell.slots == ["title", "main", "missing"])
    // A value that looks like a placeholder is inserted as it is.
    #expect(shell.fill(["title": "T", "main": "{{title}}"]) == "<title>T</title>{{title}}<p></p>")
  }

  @Test func resourcesAreTheShellAndTheStylesheet() throws {
    let resources = try SiteResources.load()
    #expect(resources.pageShell.slots == ["title", "site-title", "sidebar", "main"])
    let css = String(decoding: resources.stylesheet, as: UTF8.self)
    #expect(css.hasPrefix(":root {") && css.hasSuffix("}\n"))
  }
}
