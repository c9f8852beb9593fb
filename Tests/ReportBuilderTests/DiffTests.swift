import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// `report diff` on two small built sites, and the `data/values.json` it reads.
@Suite struct DiffTests {
  static func writeChapters(_ project: TempProject, bnSteps: Int = 40) throws {
    try project.write("01-base.md", """
      # Base

      Base D loss {value}`base.d_loss`.

      ```{experiment} base
      steps: 40
      batch-size: 128
      width: 16
      seeds: 1, 2
      ```

      ```{figure} fig-base
      kind: samples
      experiment: base
      seed: 1
      caption: G loss {value}`base.g_loss.mean:2`.
      ```
      """)
    try project.write("02-bn.md", """
      # BN

      BN shifts by {value}`bn.shift_x.mean:2`; base by {value}`base.shift_x.mean:2`.

      ```{experiment} bn
      norm: batch
      steps: \(bnSteps)
      batch-size: 128
      width: 16
      seeds: 1, 2
      ```

      ```{figure} fig-bn
      kind: samples
      experiment: bn
      seed: 1
      ```

      ```{table} tab-metrics
      kind: metrics
      experiments: base, bn
      metrics: shift, d_loss
      ```
      """)
  }

  /// A site built from the chapters, copied aside, and a rebuild with bn's steps at 39.
  static func twoSites() throws -> (project: TempProject, old: URL, new: URL) {
    let project = try TempProject()
    try writeChapters(project)
    _ = try project.build()
    let old = project.root.appendingPathComponent("build-old")
    try FileManager.default.copyItem(at: project.build, to: old)
    try writeChapters(project, bnSteps: 39)
    _ = try project.build()
    return (project, old, project.build)
  }

  static func json(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  // MARK: - Site data

  @Test func runDataUsesTheKeysOfReportRunJSON() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let run = try Self.json(project.build.appendingPathComponent("data/runs/bn-s1.json"))
    let metrics = try #require(run["metrics"] as? [String: Any])
    #expect(metrics.keys.sorted() == ["d_loss", "d_loss_inference", "distance", "g_loss", "shift", "std_ratio"])
    let config = try #require(run["config"] as? [String: Any])
    #expect(config["batch_size"] as? Int == 128)
    #expect(run["diverged_at_step"] is NSNull)
  }

  @Test func valuesFileMatchesThePages() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let bytes = try FileIO.read(project.build.appendingPathComponent("data/values.json"))
    let values = try JSONDecoder().decode(ValuesFile.self, from: Data(bytes))
    #expect(values.values.map(\.source) == ["base.d_loss", "base.g_loss.mean:2", "bn.shift_x.mean:2", "base.shift_x.mean:2"])
    let caption = try #require(values.values.first { $0.source == "base.g_loss.mean:2" })
    #expect(caption.chapter == "chapters/01-base.md" && caption.line == 16 && caption.column == 17)
    let page = try String(contentsOf: project.build.appendingPathComponent("02-bn.html"), encoding: .utf8)
    for value in values.values where value.chapter == "chapters/02-bn.md" {
      // The role's element carries its source in `title` and shows the text.
      let element = try #require(page.range(of: "title=\"\(value.source)"))
      #expect(page[element.upperBound...].prefix(120).contains(">\(value.text)</"))
    }
    #expect(values.cells.count == 2 * 4)  // 2 rows × (seeds, shift x, shift y, D loss)
    for cell in values.cells where cell.column != "seeds" {
      #expect(page.contains("<td class=\"num\">\(cell.text)</td>"))
    }
    #expect(values.cells.map(\.column).prefix(4) == ["seeds", "shift x", "shift y", "D loss"])
    #expect(values.figures.map(\.runs) == [["base-s1", "base-s2"], ["bn-s1", "bn-s2"]])
    #expect(values.experiments.map(\.chapter) == ["chapters/01-base.md", "chapters/02-bn.md"])
    // A rebuild writes the same bytes.
    _ = try project.build()
    #expect(try FileIO.read(project.build.appendingPathComponent("data/values.json")) == bytes)
  }

  // MARK: - Diff

  @Test func changedStepsShowEveryDependentValueCellAndFigure() throws {
    let (project, old, new) = try Self.twoSites()
    _ = project
    let diff = try SiteDiff.compare(old: old, new: new)
    let bn = diff.changes.filter { $0.chapter == "chapters/02-bn.md" }
    #expect(diff.changes.allSatisfy { $0.chapter == "chapters/02-bn.md" })
    #expect(bn.filter { $0.kind == .source }.map(\.detail) == ["edited"])
    let runs = bn.filter { $0.kind == .run }
    #expect(runs.map(\.item) == ["bn-s1", "bn-s2"])
    #expect(runs.allSatisfy { $0.detail.contains("config.steps 40 → 39") && $0.detail.contains("; steps 40 → 39") })
    // bn's value changed, base's did not.
    #expect(bn.filter { $0.kind == .value }.map(\.item) == ["3:14 bn.shift_x.mean:2"])
    let cells = bn.filter { $0.kind == .cell }
    #expect(!cells.isEmpty && cells.allSatisfy { $0.item.hasPrefix("tab-metrics: bn, ") })
    #expect(bn.filter { $0.kind == .figure }.map(\.item) == ["fig-bn"])
    #expect(bn.first { $0.kind == .figure }?.detail.hasSuffix("changed; its runs changed: bn s1, s2") == true)
    #expect(diff.claimsChangedTruth == 0 && diff.site.isEmpty)
    #expect(diff.otherFiles.contains("02-bn.html") && !diff.otherFiles.contains("01-base.html"))
    #expect(diff.text.contains("\nchapters/02-bn.md\n  source edited\n  runs:\n    bn-s1: config.steps 40 → 39; "))
    #expect(diff.text.hasSuffix("; no claim changed its truth."))
  }

  /// A site written before the run data used snake_case keys compares by meaning.
  @Test func camelCaseRunDataReadsAsTheSameValues() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let old = project.root.appendingPathComponent("build-old")
    try FileManager.default.copyItem(at: project.build, to: old)
    let run = old.appendingPathComponent("data/runs/bn-s1.json")
    let text = try String(contentsOf: run, encoding: .utf8)
      .replacingOccurrences(of: "\"d_loss_inference\"", with: "\"dLossInference\"")
      .replacingOccurrences(of: "\"g_loss\"", with: "\"gLoss\"")
    try FileIO.write(text, to: run)
    let manifestURL = old.appendingPathComponent("manifest.json")
    let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
    let hash = Hashing.sha256Hex(try FileIO.read(project.build.appendingPathComponent("data/runs/bn-s1.json")))
    try FileIO.write(manifest.replacingOccurrences(of: hash, with: Hashing.sha256Hex(text)), to: manifestURL)

    let diff = try SiteDiff.compare(old: old, new: project.build)
    #expect(diff.isEmpty)
    #expect(diff.notes == ["1 run file changed format only (same keys and values once camelCase keys are read as snake_case)"])
  }

  @Test func longDetailsWrapAfterSemicolons() {
    #expect(SiteDiff.wrap("  a: ", "x; y", width: 8) == ["  a: x;", "     y"])
    #expect(SiteDiff.wrap("  a: ", "x; y", width: 80) == ["  a: x; y"])
    #expect(SiteDiff.wrap("  a: ", "a very long single piece", width: 8) == ["  a: a very long single piece"])
  }

  @Test func identicalSitesHaveNoDifferences() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let diff = try SiteDiff.compare(old: project.build, new: project.build)
    #expect(diff.isEmpty && diff.text == "No differences.")
  }

  /// `data/claims.json` names chapters by page (`02-bn`); its claims join the chapter's group.
  @Test func claimThatChangesItsTruthIsCounted() throws {
    let (project, old, new) = try Self.twoSites()
    _ = project
    func claims(_ site: URL, holds: Bool, measured: String) throws {
      let text = """
        {"claims": [{"chapter": "02-bn", "line": 5, "column": 1,
          "expression": "bn.shift_x.max < 1", "holds": \(holds), "measured": "\(measured)"},
         {"chapter": "01-base", "line": 4, "column": 1,
          "expression": "base.d_loss.mean > 0", "holds": true, "measured": "0.7"}]}
        """
      try FileIO.write(text, to: site.appendingPathComponent("data/claims.json"))
    }
    try claims(old, holds: true, measured: "0.5")
    try claims(new, holds: false, measured: "1.5")
    let diff = try SiteDiff.compare(old: old, new: new)
    #expect(diff.claimsChangedTruth == 1)
    let claim = try #require(diff.changes.first { $0.kind == .claim })
    #expect(claim.chapter == "chapters/02-bn.md" && claim.item == "5:1 bn.shift_x.max < 1")
    #expect(claim.detail == "holds → does NOT hold (measured 0.5 → 1.5)")
    #expect(diff.text.contains("1 claim changed its truth."))
  }

  @Test func badInputIsOneClearError() throws {
    let project = try TempProject()
    let error = #expect(throws: SiteDiffError.self) {
      try SiteDiff.compare(old: project.root, new: project.root)
    }
    #expect(error?.description == "error: \(project.root.path) is not a built site (it has no manifest.json)")
    let missing = project.root.appendingPathComponent("nowhere")
    let noFolder = #expect(throws: SiteDiffError.self) { try SiteDiff.compare(old: missing, new: missing) }
    #expect(noFolder?.description == "error: \(missing.path): no such folder")
    try FileIO.write("{\"files\": 3}", to: project.root.appendingPathComponent("manifest.json"))
    #expect(throws: SiteDiffError.self) { try SiteDiff.compare(old: project.root, new: project.root) }
  }
}
