import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// Builds every figure and table kind that the other suites do not, with short runs,
/// and checks what each puts in the site.
@Suite struct DirectiveKindTests {
  static func chapters(_ project: TempProject) throws {
    try project.write("01-kinds.md", """
      # Kinds

      \(quickExperiment("bn", norm: "batch", seeds: "1-3"))
      \(quickExperiment("bn-fast", norm: "batch", seeds: "1-3", extra: "momentum: 0.9"))
      ```{figure} fig-grid
      kind: seed-grid
      experiment: bn
      ```

      ```{figure} fig-grid-two
      kind: seed-grid
      experiment: bn
      columns: 2
      size: 400x300
      ```

      ```{figure} fig-means
      kind: feature-means
      experiment: bn
      seed: 2
      ```

      ```{figure} fig-lag
      kind: lag
      experiments: bn, bn-fast
      ```

      ```{table} tab-seeds
      kind: per-seed
      experiments: bn
      metrics: d_loss, distance, diverged
      precision: 2
      ```

      ```{table} tab-demo
      kind: normalization-demo
      values: 0.5, 1.5 | 6, 8
      ```
      """)
  }

  /// One build shared by the tests of this suite (the runs take a few seconds): the
  /// site's files, or the build's error under the key `error`.
  static let built: [String: Data] = {
    do {
      let project = try TempProject()
      try chapters(project)
      _ = try project.build()
      return try project.siteFiles()
    } catch {
      return ["error": Data("\(error)".utf8)]
    }
  }()

  static func site() throws -> [String: Data] {
    if let error = built["error"] { Issue.record("build failed: \(String(decoding: error, as: UTF8.self))") }
    return built
  }

  static func text(_ path: String) throws -> String {
    String(decoding: try #require(try site()[path]), as: UTF8.self)
  }

  static func csvRows(_ path: String) throws -> [[Substring]] {
    try text(path).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
  }

  /// The runs of an experiment, trained again (they are deterministic).
  static func runs(_ norm: ExperimentConfig.Norm, momentum: Float = 0.99) -> [RunResult] {
    (1...3).map { seed in
      var config = ExperimentConfig()
      config.norm = norm; config.steps = 40; config.batchSize = 128; config.width = 16
      config.momentum = momentum; config.seed = UInt64(seed)
      return Trainer(config: config).run()
    }
  }

  // MARK: - Figures

  @Test func seedGridHasOnePointSetPerSeed() throws {
    let rows = try Self.csvRows("data/fig-grid.csv")
    #expect(rows.first == ["set", "x", "y"])
    let sets = rows.dropFirst().map { String($0[0]) }
    var order: [String] = []
    for set in sets where order.last != set { order.append(set) }
    #expect(order == ["real", "seed-1", "seed-2", "seed-3"])
    // 128 real points and 128 generated points per seed.
    #expect(sets.count == 4 * 128)
    let runs = Self.runs(.batch)
    let seed2 = rows.filter { $0[0] == "seed-2" }.flatMap { [Float($0[1]), Float($0[2])] }
    #expect(seed2 == runs[1].samples.map(Optional.some))
    for label in ["fig-grid", "fig-grid-two"] {
      #expect(try Self.site()["figures/\(label).png"]?.starts(with: [0x89, 0x50, 0x4e, 0x47]) == true)
    }
    // Three seeds: one row of three by default; `columns: 2` makes two rows, and an
    // explicit size is kept.
    let page = try Self.text("01-kinds.html")
    #expect(page.contains("width=\"720\""))
    #expect(page.contains("src=\"figures/fig-grid-two.png\" srcset=\"figures/fig-grid-two.png 2x\" width=\"400\" height=\"300\""))
  }

  @Test func featureMeansAreTheProbeOfTheChosenSeed() throws {
    let rows = try Self.csvRows("data/fig-means.csv")
    #expect(rows.first == ["feature", "real_mean", "fake_mean", "moving_mean", "real_var", "fake_var", "moving_var"])
    let probe = try #require(Self.runs(.batch)[1].probe)
    #expect(rows.count == 1 + probe.realMean.count)
    for (row, i) in zip(rows.dropFirst(), probe.realMean.indices) {
      #expect(Float(row[1]) == probe.realMean[i] && Float(row[2]) == probe.fakeMean[i])
      #expect(Float(row[3]) == probe.movingMean[i] && Float(row[6]) == probe.movingVar[i])
    }
  }

  @Test func lagHasOneColumnPerExperimentAndSeed() throws {
    let rows = try Self.csvRows("data/fig-lag.csv")
    #expect(rows.first == ["step"] + ["bn", "bn-fast"].flatMap { id in (1...3).map { "\(id)_s\($0)_mean_lag"[...] } })
    #expect(rows.count == 41)
    let fast = Self.runs(.batch, momentum: 0.9)
    let column = rows.dropFirst().map { Float($0[6]) }
    #expect(column == fast[2].curves.bnMeanLag.map(Optional.some))
  }

  @Test func lagAndFeatureMeansNeedAFirstLayerBN() throws {
    let project = try TempProject()
    try project.write("01-x.md", """
      # X

      \(quickExperiment("plain"))
      ```{figure} fig-lag
      kind: lag
      experiment: plain
      ```
      """)
    #expect {
      _ = try project.build()
    } throws: { error in
      "\(error)".contains("chapters/01-x.md:14:1: error: `kind: lag` needs batch norm in D's first layer,"
        + " but experiment `plain` has `norm: none`")
    }
  }

  // MARK: - Tables

  @Test func perSeedTableHasOneRowPerRun() throws {
    let page = try Self.text("01-kinds.html")
    let runs = Self.runs(.batch)
    for (seed, run) in zip(1..., runs) {
      let row = "<tr><th scope=\"row\"><code>bn</code></th><td>\(seed)</td>"
        + "<td class=\"num\">\(format(Double(run.metrics.dLoss), 2))</td>"
        + "<td class=\"num\">\(format(Double(run.metrics.distance), 2))</td><td>no</td></tr>"
      #expect(page.contains(row), "row of seed \(seed)")
    }
  }

  /// Batch normalization in training mode (γ = 1, β = 0, biased variance, and ε = 0 as
  /// the demo uses), computed here in Double as an independent reference, to 3 decimals.
  static func reference(_ values: [Double]) -> String {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return values.map { format(($0 - mean) / variance.squareRoot(), 3) }.joined(separator: ", ")
  }

  @Test func normalizationDemoShowsSeparateAndJointBatches() throws {
    let page = try Self.text("01-kinds.html")
    #expect(page.contains("<tr><th scope=\"row\">group 1 alone</th><td class=\"num\">0.5, 1.5</td>"
      + "<td class=\"num\">\(Self.reference([0.5, 1.5]))</td></tr>"))
    #expect(page.contains("<tr><th scope=\"row\">group 2 alone</th><td class=\"num\">6, 8</td>"
      + "<td class=\"num\">\(Self.reference([6, 8]))</td></tr>"))
    let joint = Self.reference([0.5, 1.5, 6, 8])
    #expect(joint == "−1.128, −0.806, 0.645, 1.289")
    #expect(page.contains("<tr><th scope=\"row\">all jointly</th><td class=\"num\">0.5, 1.5, 6, 8</td>"
      + "<td class=\"num\">\(joint)</td></tr>"))
  }
}
