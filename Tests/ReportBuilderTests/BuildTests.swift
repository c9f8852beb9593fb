import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// End-to-end builds of small chapter sets with short runs (40 steps, 128 points).
@Suite struct BuildTests {
  static func writeChapters(_ project: TempProject, bnShift: String = "0", prose: String = "Intro.") throws {
    try project.write("01-intro.md", """
      ---
      title: Intro
      report-title: Test report
      ---

      \(prose) Base D loss {value}`base.d_loss`; see {ref}`fig-bn`.

      ## Data

      ```{figure} fig-data
      kind: data
      caption: Real vs noise.
      ```

      \(quickExperiment("base"))
      """)
    try project.write("02-bn.md", """
      # Batch norm

      BN shifts by {value}`bn.shift_x.mean:2`.

      \(quickExperiment("bn", norm: "batch", extra: "shift: \(bnShift)"))
      ```{figure} fig-bn
      kind: samples
      experiment: bn
      caption: See {ref}`fig-data`.
      ```

      ```{figure} fig-curves
      kind: curves
      experiments: base, bn
      seed: all
      ```

      ```{table} tab-metrics
      kind: metrics
      experiments: base, bn
      ```
      """)
  }

  // MARK: - Cache

  @Test func cacheHitsMissesAndInvalidation() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    let first = RunCounter()
    let cold = try project.build(counter: first)
    #expect(cold.runsExecuted == 4 && cold.runsCached == 0)
    #expect(first.runs == ["batch-s1", "batch-s2", "none-s1", "none-s2"])

    // A prose edit reruns nothing and re-renders no figure.
    try Self.writeChapters(project, prose: "Edited intro.")
    let second = RunCounter()
    let prose = try project.build(counter: second)
    #expect(second.runs.isEmpty && prose.runsCached == 4 && prose.figuresRendered == 0)
    #expect(try String(contentsOf: project.build.appendingPathComponent("01-intro.html"), encoding: .utf8)
      .contains("Edited intro."))

    // Changing one experiment's knob reruns only its runs, and only the figures that use them.
    try Self.writeChapters(project, bnShift: "0.005")
    let third = RunCounter()
    let knob = try project.build(counter: third)
    #expect(third.runs == ["batch-s1", "batch-s2"])
    #expect(knob.runsExecuted == 2 && knob.runsCached == 2)
    #expect(knob.figuresRendered == 2 && knob.figuresCached == 1)  // fig-bn, fig-curves; not fig-data
  }

  /// The inference-mode D loss is sampled every 10th step: its curve is drawn at
  /// those steps and its data column is empty in between.
  @Test func sampledInferenceLossCurveKeepsItsSteps() throws {
    let project = try TempProject()
    try project.write("01-bn.md", """
      # BN

      \(quickExperiment("bn", norm: "batch", seeds: "1"))
      ```{figure} fig-losses
      kind: curves
      experiment: bn
      curves: d_loss, d_loss_inference
      ```
      """)
    _ = try project.build()
    let csv = try String(
      contentsOf: project.build.appendingPathComponent("data/fig-losses.csv"), encoding: .utf8)
    let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.first == ["step", "bn_s1_d_loss", "bn_s1_d_loss_inference"])
    #expect(rows.count == 41)
    let sampled = rows.dropFirst().filter { !$0[2].isEmpty }.map { Int($0[0]) }
    #expect(sampled == [10, 20, 30, 40])
    #expect(rows.dropFirst().allSatisfy { !$0[1].isEmpty })
  }

  @Test func corruptCacheEntryIsRecomputedWithAWarning() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let runs = project.cache.appendingPathComponent("runs")
    let entry = try #require(FileIO.files(under: runs).first { $0.hasSuffix(".run") })
    let url = runs.appendingPathComponent(entry)
    var bytes = try Data(contentsOf: url)
    bytes[bytes.count - 3] ^= 0xff
    try bytes.write(to: url)

    let counter = RunCounter()
    let summary = try project.build(counter: counter)
    #expect(summary.runsExecuted == 1 && summary.runsCached == 3)
    #expect(summary.warnings.count == 1)
    #expect(summary.warnings.first?.contains("is corrupt (checksum mismatch); recomputing") == true)
    // The entry was rewritten and verifies again.
    #expect(try project.build().runsExecuted == 0)
  }

  @Test func runKeyIgnoresNothingButTheConfig() {
    var a = ExperimentConfig()
    var b = ExperimentConfig()
    #expect(RunKey(config: a) == RunKey(config: b))
    b.momentum = 0.9
    #expect(RunKey(config: a) != RunKey(config: b))
    a.seed = 2
    #expect(RunKey(config: a) != RunKey(config: ExperimentConfig()))
  }

  @Test func runCodecRoundTripsBitForBit() throws {
    var config = ExperimentConfig()
    config.steps = 20; config.batchSize = 64; config.width = 8; config.norm = .batch
    let result = Trainer(config: config).run()
    let decoded = try #require(RunCodec.decode(try RunCodec.encode(result)))
    #expect(decoded == result)
  }

  // MARK: - Atomic publish

  @Test func failedRunLeavesThePreviousSite() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let before = try project.siteFiles()
    try Self.writeChapters(project, bnShift: "0.01")
    struct Boom: Error {}
    #expect(throws: BuildError.self) {
      _ = try project.build(function: { config, progress in
        if config.norm == .batch { throw Boom() }
        return try engineRunFunction(config, progress)
      })
    }
    #expect(try project.siteFiles() == before)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.root.path)
      .filter { $0.hasPrefix("build.") }
    #expect(leftovers.isEmpty)
  }

  @Test func secondBuildIsRefusedWhileTheLockIsHeld() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    let lock = try BuildLock(url: project.cache.appendingPathComponent("lock"))
    #expect {
      _ = try project.build()
    } throws: { error in
      if case BuildError.locked = error { return true }
      return false
    }
    #expect(throws: BuildError.self) {
      try Clean.run(options: project.options, site: true, cache: true)
    }
    withExtendedLifetime(lock) {}
  }

  // MARK: - Output

  @Test func twoBuildsAreByteIdentical() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let first = try project.siteFiles()
    var options = project.options
    options.cacheDirectory = project.root.appendingPathComponent("other-cache")
    options.outputDirectory = project.root.appendingPathComponent("build2")
    _ = try project.build(options: options)
    let second = try project.siteFiles(options.outputDirectory)
    #expect(first.keys.sorted() == second.keys.sorted())
    for (path, bytes) in first { #expect(second[path] == bytes, "\(path) differs") }
  }

  @Test func everyLinkAndImageResolves() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let files = try project.siteFiles()
    #expect(files["index.html"] != nil && files["manifest.json"] != nil && files["assets/style.css"] != nil)
    #expect(files["data/runs/bn-s2.json"] != nil && files["figures/fig-bn.svg"] != nil)
    var checked = 0
    for (path, data) in files where path.hasSuffix(".html") {
      let html = String(decoding: data, as: UTF8.self)
      #expect(!html.contains("http://") && !html.contains("https://"), "\(path) makes an external request")
      let ids = Set(Self.attributes("id", in: html))
      for target in Self.attributes("href", in: html) + Self.attributes("src", in: html) {
        if target.hasPrefix("data:") { continue }
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let file = parts[0].isEmpty ? path : parts[0]
        #expect(files[file] != nil, "\(path): \(target) does not resolve")
        if parts.count == 2, let page = files[file] {
          let pageIDs = file == path ? ids : Set(Self.attributes("id", in: String(decoding: page, as: UTF8.self)))
          #expect(pageIDs.contains(parts[1]), "\(path): anchor \(target) does not resolve")
        }
        checked += 1
      }
    }
    #expect(checked > 20)
    // The manifest lists every other file with its hash.
    let manifest = try JSONSerialization.jsonObject(with: try #require(files["manifest.json"])) as? [String: Any]
    let hashes = try #require(manifest?["files"] as? [String: String])
    #expect(Set(hashes.keys) == Set(files.keys).subtracting(["manifest.json"]))
    #expect(hashes["index.html"] == Hashing.sha256Hex(try #require(files["index.html"])))
  }

  @Test func crossChapterReferencesAreNumberedLinks() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    _ = try project.build()
    let intro = try String(contentsOf: project.build.appendingPathComponent("01-intro.html"), encoding: .utf8)
    #expect(intro.contains("<a class=\"ref\" href=\"02-bn.html#fig-bn\">Figure 2</a>"))
    let bn = try String(contentsOf: project.build.appendingPathComponent("02-bn.html"), encoding: .utf8)
    #expect(bn.contains("<a class=\"ref\" href=\"01-intro.html#fig-data\">Figure 1</a>"))
    #expect(bn.contains("<span class=\"figure-number\">Table 1.</span>"))
  }

  @Test func divergedRunIsShownNotFailed() throws {
    let project = try TempProject()
    try Self.writeChapters(project)
    let summary = try project.build(function: { config, progress in
      var result = try engineRunFunction(config, progress)
      if config.norm == .batch && config.seed == 2 {
        result.diverged = true
        result.divergedAtStep = 7
        result.metrics.gLoss = .nan
      }
      return result
    })
    #expect(summary.runsDiverged == 1)
    let bn = try String(contentsOf: project.build.appendingPathComponent("02-bn.html"), encoding: .utf8)
    #expect(bn.contains("1 of 2 runs diverged"))
    #expect(bn.contains("seed 2 at step 7"))
    #expect(bn.contains("<td class=\"num\">1/2</td>"))
    let json = try String(contentsOf: project.build.appendingPathComponent("data/runs/bn-s2.json"), encoding: .utf8)
    #expect(json.contains("\"diverged_at_step\" : 7"))
  }

  static func attributes(_ name: String, in html: String) -> [String] {
    var out: [String] = []
    var rest = Substring(html)
    let marker = " \(name)=\""
    while let range = rest.range(of: marker) {
      let tail = rest[range.upperBound...]
      guard let end = tail.firstIndex(of: "\"") else { break }
      out.append(String(tail[..<end]))
      rest = tail[end...]
    }
    return out
  }
}
