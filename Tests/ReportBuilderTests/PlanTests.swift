import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// `report plan`: what a build would train and render, and the reasons it gives.
@Suite struct PlanTests {
  /// Two experiments of 2 seeds with short runs; `bnSteps` and `bnXlim` vary the second.
  static func writeChapters(_ project: TempProject, bnSteps: Int = 40, bnXlim: String? = nil) throws {
    try project.write("01-plan.md", """
      # Plan

      Base D loss {value}`base.d_loss`.

      ```{experiment} base
      steps: 40
      batch-size: 128
      width: 16
      seeds: 1, 2
      ```

      ```{experiment} bn
      norm: batch
      steps: \(bnSteps)
      batch-size: 128
      width: 16
      seeds: 1, 2
      ```

      ```{figure} fig-base
      kind: samples
      experiment: base
      seed: 1
      ```

      ```{figure} fig-bn
      kind: samples
      experiment: bn
      seed: 1
      \(bnXlim.map { "xlim: \($0)" } ?? "")
      ```

      ```{figure} fig-data
      kind: data
      ```
      """)
  }

  static func plan(_ project: TempProject) throws -> BuildPlan {
    try ReportBuilder.plan(options: project.options)
  }

  // MARK: - Nothing built yet

  @Test func coldCacheComputesEverythingAndWritesNothing() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    let plan = try Self.plan(project)
    #expect(plan.runsToCompute.map(\.name) == ["base s1", "base s2", "bn s1", "bn s2"])
    #expect(plan.runsToCompute.allSatisfy { $0.reasons == ["not in the cache"] })
    #expect(plan.figuresToRender.map(\.name) == ["fig-base", "fig-bn", "fig-data"])
    #expect(plan.figuresToRender[0].reasons == ["its runs will be trained: base s1, s2"])
    #expect(plan.figuresToRender[2].reasons == ["not in the cache"])
    #expect(!plan.hasLastBuild && !plan.outputExists)
    #expect(!FileIO.exists(project.cache) && !FileIO.exists(project.build))
  }

  // MARK: - After a build

  @Test func afterABuildEverythingIsReused() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let plan = try Self.plan(project)
    #expect(plan.runsToCompute.isEmpty && plan.figuresToRender.isEmpty)
    #expect(plan.runsReused == ["base s1", "base s2", "bn s1", "bn s2"])
    #expect(plan.figuresReused == ["fig-base", "fig-bn", "fig-data"])
    #expect(plan.hasLastBuild && plan.outputExists)
    let text = plan.text(verbose: true)
    #expect(text.hasPrefix("0 runs to train, 4 reused from the cache; 0 figures to render, 3 reused."))
    #expect(text.contains("Reused runs: base s1, s2; bn s1, s2"))
  }

  @Test func changedStepsAreNamedWithOldAndNewValue() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    try Self.writeChapters(project, bnSteps: 39)
    let plan = try Self.plan(project)
    #expect(plan.runsToCompute == [
      .init(name: "bn s1", reasons: ["steps changed 40 → 39"]),
      .init(name: "bn s2", reasons: ["steps changed 40 → 39"]),
    ])
    #expect(plan.figuresToRender == [.init(name: "fig-bn", reasons: ["its runs will be trained: bn s1, s2"])])
    #expect(plan.figuresReused == ["fig-base", "fig-data"])
    #expect(plan.text(verbose: false).contains("  bn s1  steps changed 40 → 39"))

    // The plan agrees with what the build then does.
    let counter = RunCounter()
    let summary = try project.build(counter: counter)
    #expect(counter.runs == ["batch-s1", "batch-s2"])
    #expect(summary.figuresRendered == 1 && summary.figuresCached == 2)
    let after = try Self.plan(project)
    #expect(after.runsToCompute.isEmpty && after.figuresToRender.isEmpty)
  }

  /// Runs already in the cache (from an earlier build) but not in the last build: the
  /// figures that draw them are named with those runs.
  @Test func figureWhoseCachedRunsChangedIsNamed() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    try Self.writeChapters(project, bnSteps: 39)
    _ = try project.build()
    try FileManager.default.removeItem(at: project.cache.appendingPathComponent("figures"))
    try Self.writeChapters(project)
    let plan = try Self.plan(project)
    #expect(plan.runsToCompute.isEmpty)
    #expect(plan.figuresToRender == [
      .init(name: "fig-base", reasons: ["not in the cache (the last build had it: the entry was removed)"]),
      .init(name: "fig-bn", reasons: ["its runs changed since the last build (they are in the cache): bn s1, s2"]),
      .init(name: "fig-data", reasons: ["not in the cache (the last build had it: the entry was removed)"]),
    ])
  }

  @Test func figureSpecChangeIsNamed() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    try Self.writeChapters(project, bnXlim: "-5, 5")
    let plan = try Self.plan(project)
    #expect(plan.runsToCompute.isEmpty)
    #expect(plan.figuresToRender == [.init(name: "fig-bn", reasons: ["xlim changed (unset) → -5, 5"])])
  }

  @Test func corruptAndRemovedCacheEntriesAreNamed() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let runs = project.cache.appendingPathComponent("runs")
    let key = { (seed: UInt64) -> String in
      var config = ExperimentConfig()
      config.steps = 40; config.batchSize = 128; config.width = 16; config.seed = seed
      return RunKey(config: config).hex
    }
    // Flip one payload byte of base s1; delete base s2.
    let corrupt = runs.appendingPathComponent("\(key(1)).run")
    var bytes = try FileIO.read(corrupt)
    bytes[bytes.count - 1] ^= 0xff
    try FileIO.write(bytes, to: corrupt)
    try FileManager.default.removeItem(at: runs.appendingPathComponent("\(key(2)).run"))

    let plan = try Self.plan(project)
    #expect(plan.runsToCompute == [
      .init(name: "base s1", reasons: ["cache entry corrupt (checksum mismatch)"]),
      .init(name: "base s2", reasons: ["not in the cache (the last build had it: the entry was removed)"]),
    ])
    #expect(plan.figuresToRender.map(\.name) == ["fig-base"])
  }

  /// The engine version and, for OpenBLAS runs, the BLAS core are part of every run
  /// key, so a change of either shows up as a missing entry whose recorded engine or
  /// kernel differs. The test makes that state by editing the record and removing the
  /// entries.
  @Test func engineAndKernelChangesAreNamed() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    var options = project.options
    options.kernel = .openblas
    _ = try ReportBuilder.build(options: options)
    guard var record = LastBuild.read(cacheDirectory: project.cache) else {
      Issue.record("no last-build record after a build")
      return
    }
    record.runs["bn"]?["1"]?.engine = "0"
    record.runs["bn"]?["2"]?.kernel = "OpenBLAS Prescott"
    try record.write(cacheDirectory: project.cache)
    for seed in ["1", "2"] {
      let key = try #require(record.runs["bn"]?[seed]?.key)
      try FileManager.default.removeItem(at: project.cache.appendingPathComponent("runs/\(key).run"))
    }
    let plan = try ReportBuilder.plan(options: options)
    #expect(plan.runsToCompute == [
      .init(name: "bn s1", reasons: ["engine version changed 0 → \(EngineInfo.version)"]),
      .init(name: "bn s2", reasons: ["product kernel changed OpenBLAS Prescott → OpenBLAS \(BLASKernel.coreName)"]),
    ])
    // Asking for the portable kernel changes every key, and says so.
    let portable = try Self.plan(project)
    #expect(portable.runsToCompute.count == 4)
    #expect(portable.runsToCompute.allSatisfy { $0.reasons.contains("kernel changed openblas → portable") },
            "\(portable.runsToCompute.map(\.reasons))")
  }

  @Test func newExperimentIsNamed() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    try project.write("02-more.md", "# More\n\n" + quickExperiment("ln", norm: "layer", seeds: "1"))
    let plan = try Self.plan(project)
    #expect(plan.runsToCompute == [.init(name: "ln s1", reasons: ["new experiment (not in the last build)"])])
  }

  // MARK: - Record and errors

  @Test func lastBuildRecordIsByteStable() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let url = LastBuild.url(cacheDirectory: project.cache)
    let first = try FileIO.read(url)
    _ = try project.build()
    #expect(try FileIO.read(url) == first)
    let record = try #require(LastBuild.read(cacheDirectory: project.cache))
    #expect(record.runs["bn"]?["2"]?.config.norm == .batch)
    #expect(record.runs["bn"]?["2"]?.engine == EngineInfo.version)
    #expect(record.figures.keys.sorted() == ["fig-base", "fig-bn", "fig-data"])
  }

  @Test func chapterErrorsAreTheBuildsDiagnostics() throws {
    let project = try TempProject()
    try project.write("01-bad.md", "# Bad\n\nSee {value}`nope.d_loss`.\n")
    let planError = #expect(throws: BuildError.self) { try Self.plan(project) }
    let buildError = #expect(throws: BuildError.self) { try project.build() }
    guard case .chapterErrors(let planLines)? = planError, case .chapterErrors(let buildLines)? = buildError else {
      Issue.record("expected chapter errors")
      return
    }
    #expect(planLines == buildLines)
    #expect(planLines.first?.hasPrefix("chapters/01-bad.md:3:5: error: unknown experiment `nope`") == true)
  }
}
