import Foundation
import Testing

@testable import ReportBuilder

/// The figure cache key is the hash of everything a figure kind draws from.
@Suite struct FigureKeyTests {
  static func figure(_ body: String) throws -> (FigureDirective, Manuscript) {
    let project = try TempProject()
    try project.write("01-a.md", """
      # A

      \(quickExperiment("bn", norm: "batch"))
      ```{figure} fig-a
      \(body)
      ```
      """)
    var diagnostics = DiagnosticList()
    let manuscript = Manuscript.load(directory: project.options.chaptersDirectory, diagnostics: &diagnostics)
    #expect(diagnostics.isEmpty, "\(diagnostics.lines)")
    return (try #require(manuscript.figures.first), manuscript)
  }

  static func key(_ body: String, checksums: [RunKey: String] = [:]) throws -> String {
    let (figure, manuscript) = try figure(body)
    return FigureStage.key(of: figure, manuscript: manuscript, checksums: checksums)
  }

  @Test func everySpecFieldAndRunChangesTheKey() throws {
    let base = "kind: curves\nexperiment: bn"
    let keys = try [
      base, base + "\nseed: 2", base + "\nseed: all", base + "\ncurves: d_loss",
      base + "\nylim: 0, 2", base + "\nxlim: 0, 20", base + "\nsize: 640x360",
      "kind: lag\nexperiment: bn", "kind: seed-grid\nexperiment: bn", "kind: seed-grid\nexperiment: bn\ncolumns: 2",
    ].map { try Self.key($0) }
    // `size: 640x360` is the kind's default size, but written out it keeps the figure
    // from following the limits' aspect, so it is a different figure.
    #expect(Set(keys).count == keys.count)
    // The caption and `echo` are not drawn: same key.
    #expect(try Self.key(base + "\ncaption: Words.\necho: true") == keys[0])
    // A run's content (its cache checksum) is part of the key.
    let (figure, manuscript) = try Self.figure(base)
    let run = try #require(manuscript.experimentByID["bn"]?.runs.first?.key)
    #expect(FigureStage.key(of: figure, manuscript: manuscript, checksums: [run: "abc"]) != keys[0])
  }

  @Test func theKeyIsTheHashOfTheSpecsJSON() throws {
    let (figure, manuscript) = try Self.figure("kind: samples\nexperiment: bn\nylim: -1, 1")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let spec = String(decoding: try encoder.encode(figure.spec), as: UTF8.self)
    #expect(spec == #"{"curves":["g_loss","d_loss"],"dataSeed":0,"height":480,"kind":"samples","#
      + #""seed":{"first":{}},"sizeIsExplicit":false,"width":640,"ylim":[-1,1]}"#)
    let key = FigureStage.key(of: figure, manuscript: manuscript, checksums: [:])
    #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
  }
}
