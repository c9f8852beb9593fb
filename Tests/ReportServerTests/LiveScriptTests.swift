import Foundation
import Testing

@testable import ReportServer

/// The live script goes into HTML as served, once, before the closing body tag.
@Suite struct LiveScriptTests {
  @Test func insertedBeforeTheLastClosingBody() {
    let page = "<html><body><p>a</p><code>&lt;/body&gt;</code></body>\n</html>\n"
    let out = String(decoding: LiveScript.inject(into: Data(page.utf8), version: 7), as: UTF8.self)
    let tag = LiveScript.scriptTag(version: 7)
    #expect(out == "<html><body><p>a</p><code>&lt;/body&gt;</code>" + tag + "</body>\n</html>\n")
    #expect(tag.contains("data-version=\"7\""))
  }

  @Test func closingTagInAnyCaseOrMissing() {
    let upper = String(decoding: LiveScript.inject(into: Data("<p>x</p></BODY>".utf8), version: 1), as: UTF8.self)
    #expect(upper.hasSuffix(LiveScript.scriptTag(version: 1) + "</BODY>"))
    let none = String(decoding: LiveScript.inject(into: Data("<p>x</p>".utf8), version: 2), as: UTF8.self)
    #expect(none == "<p>x</p>" + LiveScript.scriptTag(version: 2))
    let empty = String(decoding: LiveScript.inject(into: Data(), version: 3), as: UTF8.self)
    #expect(empty == LiveScript.scriptTag(version: 3))
  }

  @Test func stateMessageIsStableJSON() {
    let state = LiveState(version: 2, errors: ["chapters/a.md:3:1: error: unknown key"], status: "")
    #expect(state.json() == #"{"errors":["chapters/a.md:3:1: error: unknown key"],"status":"","version":2}"#)
  }
}
