import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// The claims language: parsing, evaluation, and what a build does with false claims.
@Suite struct ClaimTests {
  // MARK: - Parsing

  static func parse(_ text: String) throws -> ClaimExpression {
    try ClaimExpression.parse(text).get()
  }

  static func error(_ text: String) -> ClaimSyntaxError? {
    if case .failure(let error) = ClaimExpression.parse(text) { return error }
    return nil
  }

  @Test func andBindsTighterThanOr() throws {
    let claim = try Self.parse("a.seeds == 5 or b.seeds > 1 and (c.seeds < 2)")
    guard case .or(let left, .and(let middle, .group(let right))) = claim else {
      Issue.record("wrong shape: \(claim)")
      return
    }
    guard case .compare(let a, .equal, let five) = left, case .compare(_, .greater, _) = middle,
          case .compare(_, .less, _) = right else {
      Issue.record("wrong comparisons: \(claim)")
      return
    }
    #expect(a.value == .path(ValueReference(experiment: "a", metric: .seeds, statistic: .count, precision: 3)))
    #expect(a.offset == 0 && five.value == .number(5) && five.offset == 11)
  }

  @Test func pathsWithoutAStatisticMeanTheMean() throws {
    guard case .within(let a, let d, let b) = try Self.parse("bn.d_loss:2 within 0.05 of ln2") else {
      Issue.record("not a within claim")
      return
    }
    #expect(a.value == .path(ValueReference(experiment: "bn", metric: .dLoss, statistic: .mean, precision: 2)))
    #expect(d.value == .number(0.05) && b.value == .number(log(2)))
    // Thresholds carry dots and minus signs; negative numbers parse.
    guard case .compare(let c, .greaterOrEqual, let minus) = try Self.parse("x.distance.below-0.3>=-1") else {
      Issue.record("not a comparison")
      return
    }
    #expect(c.value == .path(ValueReference(experiment: "x", metric: .distance, statistic: .below(0.3), precision: 3)))
    #expect(minus.value == .number(-1) && minus.offset == 22)
  }

  @Test func syntaxErrorsSayWhereAndWhat() {
    #expect(Self.error("bn.shift_x = 1") == ClaimSyntaxError(offset: 11, message: "use `==` to compare, not `=`"))
    #expect(Self.error("") == ClaimSyntaxError(offset: 0, message: "empty claim: expected e.g. `bn.shift_x.min > 1`"))
    #expect(Self.error("(bn.seeds == 5") == ClaimSyntaxError(offset: 0, message: "`(` is never closed"))
    #expect(Self.error("bn.seeds == 5)") == ClaimSyntaxError(offset: 13, message: "unmatched `)`"))
    #expect(Self.error("bn.seeds 5")?.message
      == "expected a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=` or `within … of`) after `bn.seeds`, got `5`")
    #expect(Self.error("bn.seeds ==")?.message == "expected a value path or a number, got the end of the claim")
    #expect(Self.error("bn.d_los > 1") == ClaimSyntaxError(
      offset: 0,
      message: "unknown metric `d_los` (did you mean `d_loss`?); expected one of "
        + ValueReference.Metric.allCases.map(\.rawValue).joined(separator: ", ")))
    #expect(Self.error("1.2.3 < 2") == ClaimSyntaxError(offset: 0, message: "`1.2.3` is not a number"))
    #expect(Self.error("bn.seeds within 1 bn.seeds")?.message == "expected `of` after `within 1`, got `bn.seeds`")
  }

  // MARK: - Builds

  static func chapter(_ claims: String) -> String {
    """
    # Claims

    \(quickExperiment("plain"))
    Seeds: {claim}`plain.seeds == 2`, loss {claim}`plain.d_loss.mean:2 > 0`.

    ```{claims}
    \(claims)
    ```
    """
  }

  /// The runs of `plain`, trained again (deterministic).
  static func runs() -> [RunResult] {
    (1...2).map { seed in
      var config = ExperimentConfig()
      config.steps = 40; config.batchSize = 128; config.width = 16; config.seed = UInt64(seed)
      return Trainer(config: config).run()
    }
  }

  @Test func claimsThatHoldAreShownAndWritten() throws {
    let project = try TempProject()
    try project.write("01-claims.md", Self.chapter("""
      plain.diverged == 0            # nothing diverged
      plain.d_loss.max >= plain.d_loss.min and plain.seeds != 3
      plain.g_loss.seed-2 within 100 of ln2
      """))
    _ = try project.build()
    let runs = Self.runs()
    let mean = (Double(runs[0].metrics.dLoss) + Double(runs[1].metrics.dLoss)) / 2
    let page = try String(contentsOf: project.build.appendingPathComponent("01-claims.html"), encoding: .utf8)
    #expect(page.contains("Seeds: <span class=\"claim\"><a class=\"value\" href=\"01-claims.html#prov-plain\">2</a>"))
    #expect(page.contains("data-claim=\"Checked claim: plain.seeds == 2 (measured: 2 == 2)\">✓</span>"))
    #expect(page.contains(">\(format(mean, 2))</a>"))
    #expect(page.contains("<code>plain.g_loss.seed-2 within 100 of ln2</code> <span class=\"measured\">measured: "
      + "\(format(Double(runs[1].metrics.gLoss), 3)) within 100 of 0.693</span>"))
    #expect(page.contains("id=\"prov-plain\""))
    #expect(page.contains("✓</span> <span class=\"claim-note\">nothing diverged:</span> <code>plain.diverged == 0</code>"))

    let json = try String(contentsOf: project.build.appendingPathComponent("data/claims.json"), encoding: .utf8)
    let expected = """
      {
        "claims" : [
          {
            "chapter" : "01-claims",
            "column" : 8,
            "expression" : "plain.seeds == 2",
            "holds" : true,
            "line" : 12,
            "measured" : "2 == 2"
          },
          {
            "chapter" : "01-claims",
            "column" : 40,
            "expression" : "plain.d_loss.mean:2 > 0",
            "holds" : true,
            "line" : 12,
            "measured" : "\(format(mean, 2)) > 0"
          },
          {
            "chapter" : "01-claims",
            "column" : 1,
            "expression" : "plain.diverged == 0",
            "holds" : true,
            "line" : 15,
            "measured" : "0 == 0"
          },
          {
            "chapter" : "01-claims",
            "column" : 1,
            "expression" : "plain.d_loss.max >= plain.d_loss.min and plain.seeds != 3",
            "holds" : true,
            "line" : 16,
            "measured" : "\(format(Double(max(runs[0].metrics.dLoss, runs[1].metrics.dLoss)), 3)) >= \(format(Double(min(runs[0].metrics.dLoss, runs[1].metrics.dLoss)), 3)) and 2 != 3"
          },
          {
            "chapter" : "01-claims",
            "column" : 1,
            "expression" : "plain.g_loss.seed-2 within 100 of ln2",
            "holds" : true,
            "line" : 17,
            "measured" : "\(format(Double(runs[1].metrics.gLoss), 3)) within 100 of 0.693"
          }
        ]
      }

      """
    #expect(json == expected)
  }

  @Test func falseClaimsFailTheBuildAllAtOnce() throws {
    let project = try TempProject()
    try project.write("01-claims.md", Self.chapter("plain.seeds == 2"))
    _ = try project.build()
    let before = try project.siteFiles()
    try project.write("01-claims.md", Self.chapter("""
      plain.seeds == 3
      plain.diverged > 0 or (plain.seeds < 1)
      """))
    #expect {
      _ = try project.build()
    } throws: { error in
      guard case BuildError.chapterErrors(let lines) = error else { return false }
      return lines == [
        "chapters/01-claims.md:15:1: error: claim does not hold: plain.seeds == 3 (measured: 2 == 3)",
        "chapters/01-claims.md:16:1: error: claim does not hold: plain.diverged > 0 or (plain.seeds < 1)"
          + " (measured: 0 > 0 or (2 < 1))",
      ]
    }
    #expect(try project.siteFiles() == before)

    // Allowed: published, marked in the page and listed as warnings.
    var options = project.options
    options.allowFalseClaims = true
    let summary = try project.build(options: options)
    #expect(summary.warnings == [
      "chapters/01-claims.md:15:1: claim does not hold: plain.seeds == 3 (measured: 2 == 3)"
        + " (published with --allow-false-claims)",
      "chapters/01-claims.md:16:1: claim does not hold: plain.diverged > 0 or (plain.seeds < 1)"
        + " (measured: 0 > 0 or (2 < 1)) (published with --allow-false-claims)",
    ])
    let page = try String(contentsOf: project.build.appendingPathComponent("01-claims.html"), encoding: .utf8)
    #expect(page.contains("<li class=\"false\"><span class=\"claim-mark\""))
    #expect(page.contains("data-claim=\"Claim does not hold: plain.seeds == 3 (measured: 2 == 3)\">✗</span>"))
    let json = try String(contentsOf: project.build.appendingPathComponent("data/claims.json"), encoding: .utf8)
    #expect(json.contains("\"holds\" : false"))
  }

  @Test func badClaimsAreChapterErrorsWithSuggestions() throws {
    let project = try TempProject()
    try project.write("01-claims.md", """
      # Claims

      \(quickExperiment("plain"))
      Seeds {claim}`plian.seeds == 2` and {claim}`plain.seeds =< 2`.

      ```{claims}
      plain.d_loss.seed-7 > 0
      plain.seeds == 2 and
      ```

      ```{figure} fig-x
      kind: data
      caption: Not here: {claim}`plain.seeds == 2`.
      ```
      """)
    #expect {
      _ = try project.build()
    } throws: { error in
      guard case BuildError.chapterErrors(let lines) = error else { return false }
      return lines == [
        "chapters/01-claims.md:12:15: error: unknown experiment `plian` (did you mean `plain`?)",
        "chapters/01-claims.md:12:57: error: use `==` to compare, not `=` in claim `plain.seeds =< 2`",
        "chapters/01-claims.md:15:1: error: seed 7 is not a seed of experiment `plain` (seeds: 1, 2)",
        "chapters/01-claims.md:16:21: error: expected a value path or a number, got the end of the claim"
          + " in claim `plain.seeds == 2 and`",
        "chapters/01-claims.md:21:20: error: `{claim}` cannot be used in a caption; state it in the prose",
      ]
    }
  }
}
