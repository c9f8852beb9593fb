import Foundation
import Testing

import GANEngine
@testable import ReportBuilder

@Suite struct ParsingTests {
  // MARK: - Directive blocks

  @Test func directiveBlocksMatchGoldenDump() throws {
    var diagnostics = DiagnosticList()
    let source = try Fixtures.text("parse/directives.md")
    let chapter = Chapter(name: "directives", displayPath: "chapters/directives.md", source: source,
                          diagnostics: &diagnostics)
    #expect(diagnostics.isEmpty)
    let dump = chapter.directives.map(\.block.dump).joined(separator: "\n") + "\n"
    try Fixtures.expectGolden(dump, "parse/directives.dump")
  }

  @Test func echoSourceIsTheDirectiveAsWritten() throws {
    var diagnostics = DiagnosticList()
    let chapter = Chapter(
      name: "x", displayPath: "chapters/x.md",
      source: "# T\n\n```{experiment} a\nseeds: 1\n```\n", diagnostics: &diagnostics)
    #expect(chapter.directives.first?.block.source == "```{experiment} a\nseeds: 1\n```")
  }

  @Test func trailingCommentsNeedSpaceAroundTheHash() {
    #expect(DirectiveParser.stripComment("norm: batch   # note") == "norm: batch  ")
    #expect(DirectiveParser.stripComment("caption: seed #3") == "caption: seed #3")
    #expect(DirectiveParser.stripComment("caption: a # b") == "caption: a")
  }

  // MARK: - Roles and values

  @Test func rolesAreFoundWithTheirColumns() throws {
    var diagnostics = DiagnosticList()
    let chapter = Chapter(
      name: "x", displayPath: "chapters/x.md",
      source: "# T\n\nLoss {value}`bn.d_loss` and {ref}`fig-a`.\n", diagnostics: &diagnostics)
    let roles = chapter.roles.map { "\($0.role.name) \($0.role.content) \($0.role.location)" }
    #expect(roles == ["value bn.d_loss chapters/x.md:3:6", "ref fig-a chapters/x.md:3:29"])
  }

  @Test func valueReferencesParse() throws {
    let full = try ValueReference.parse("bn.d_loss.mean:2").get()
    #expect(full == ValueReference(experiment: "bn", metric: .dLoss, statistic: .mean, precision: 2))
    let seed = try ValueReference.parse("bn-fast.shift_x.seed-3").get()
    #expect(seed.statistic == .seed(3) && seed.precision == 3)
    #expect(try ValueReference.parse("bn.diverged").get().statistic == .count)
    #expect(throws: ValueReference.ValueError.unknownMetric("d_los")) { try ValueReference.parse("bn.d_los").get() }
    #expect(throws: ValueReference.ValueError.badPrecision("9")) { try ValueReference.parse("bn.d_loss:9").get() }
    // A threshold carries a dot of its own.
    #expect(try ValueReference.parse("bn.distance.below-0.3").get().statistic == .below(0.3))
    #expect(try ValueReference.parse("bn.shift_x.above-1.5:0").get().statistic == .above(1.5))
    #expect(throws: ValueReference.ValueError.unknownStatistic("below-x")) {
      try ValueReference.parse("bn.distance.below-x").get()
    }
  }

  @Test func thresholdCountsLeaveOutNonFiniteValues() {
    func run(_ distance: Float) -> (seed: UInt64, result: RunResult) {
      let metrics = RunResult.Metrics(
        shift: [0, 0], stdRatio: [1, 1], distance: distance, gLoss: 0, dLoss: 0, dLossInference: 0)
      let result = RunResult(
        config: ExperimentConfig(), curves: .init(), samples: [], probe: nil, metrics: metrics,
        diverged: !distance.isFinite, divergedAtStep: nil, steps: 1, msPerStep: 0)
      return (seed: 1, result: result)
    }
    let resolver = ValueResolver(runs: [run(0.1), run(0.5), run(.nan), run(0.2)])
    let below = try? ValueReference.parse("x.distance.below-0.3").get()
    let above = try? ValueReference.parse("x.distance.above-0.3").get()
    #expect(below.map(resolver.text(for:)) == "2")
    #expect(above.map(resolver.text(for:)) == "1")
  }

  @Test func statisticsLeaveOutNonFiniteValues() {
    // Sample sd of 1, 2, 3 is exactly 1.
    let stats = SeedStatistics([1, 2, 3, .nan])
    #expect(stats.mean == 2 && stats.sd == 1 && stats.median == 2)
    #expect(stats.plusMinus(precision: 2) == "2.00 ± 1.00 (3 of 4 seeds)")
    #expect(format(-0.0001, 3) == "0.000")
    #expect(format(-1.5, 1) == "−1.5")
  }

  @Test func suggestionsPickTheClosestName() {
    #expect(Suggestion.editDistance("figur", "figure") == 1)
    #expect(Suggestion.closest(to: "figur", in: ["experiment", "figure", "table"]) == "figure")
    #expect(Suggestion.closest(to: "zzzzzz", in: ["experiment", "figure", "table"]) == nil)
  }

  // MARK: - Highlighting and anchors

  @Test func highlighterMarksDirectiveParts() {
    let html = Highlighter.html("```{figure} fig-a\nsteps: 20 # n\n```", language: .directive)
    #expect(html.contains("<span class=\"hl-directive\">{figure}</span>"))
    #expect(html.contains("<span class=\"hl-key\">steps</span>"))
    #expect(html.contains("<span class=\"hl-number\">20</span>"))
    #expect(html.contains("<span class=\"hl-comment\"> # n</span>"))
  }

  @Test func headingsGetUniqueAnchors() {
    let (html, toc) = PageRenderer.anchorHeadings(
      "<h2>Set-up &amp; data</h2><p>x</p><h2>Set-up &amp; data</h2>", reserved: ["fig-a"])
    #expect(html == "<h2 id=\"set-up-data\">Set-up &amp; data</h2><p>x</p><h2 id=\"set-up-data-2\">Set-up &amp; data</h2>")
    #expect(toc.map(\.slug) == ["set-up-data", "set-up-data-2"])
  }
}
