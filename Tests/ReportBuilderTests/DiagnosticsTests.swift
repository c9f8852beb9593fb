import Foundation
import Testing

@testable import ReportBuilder

@Suite struct DiagnosticsTests {
  @Test func brokenChapterSetGivesTheGoldenErrorList() throws {
    var options = BuildOptions(projectRoot: FileManager.default.temporaryDirectory)
    options.chaptersDirectory = Fixtures.url("broken/chapters")
    var diagnostics = DiagnosticList()
    _ = Manuscript.load(directory: options.chaptersDirectory, diagnostics: &diagnostics)
    try Fixtures.expectGolden(diagnostics.lines.joined(separator: "\n") + "\n", "broken/errors.txt")
  }

  @Test func brokenBuildThrowsAndLeavesThePreviousSite() throws {
    let project = try TempProject()
    try project.write("01.md", "# Fine\n\nHello.\n")
    _ = try project.build()
    let before = try project.siteFiles()
    try project.write("01.md", "# Broken\n\n```{figur} x\n```\n")
    #expect {
      _ = try project.build()
    } throws: { error in
      guard case BuildError.chapterErrors(let lines) = error else { return false }
      return lines == ["chapters/01.md:3:4: error: unknown directive `{figur}` (did you mean `figure`?)"]
    }
    #expect(try project.siteFiles() == before)
  }
}
