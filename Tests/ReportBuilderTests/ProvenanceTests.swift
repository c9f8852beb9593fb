import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// The "How this was made" blocks: what they list, and that their commands repeat the
/// runs bit for bit.
@Suite struct ProvenanceTests {
  static func chapter() -> String {
    """
    # Provenance

    \(quickExperiment("bn", norm: "batch", seeds: "1, 2", extra: "shift: 0.005\nmomentum: 0.9"))
    The loss is {value}`bn.d_loss`.

    ```{figure} fig-bn
    kind: samples
    experiment: bn
    ```

    ```{table} tab-bn
    kind: per-seed
    experiments: bn
    ```
    """
  }

  @Test func commandsWriteOutEveryFlag() {
    var config = ExperimentConfig()
    config.norm = .batch; config.shift = 0.005; config.momentMatch = true; config.seed = 3
    #expect(Provenance.command(config) == "report run --norm batch --norm-layers both --d-batches split"
      + " --g-mode train --shift 0.005 --moment-match --momentum 0.99 --groups 32 --steps 2000"
      + " --batch-size 2048 --width 64 --learning-rate 0.001 --data-seed 0 --kernel portable --seed 3")
  }

  @Test func everyFigureAndTableHasItsBlock() throws {
    let project = try TempProject()
    try project.write("01-prov.md", Self.chapter())
    _ = try project.build()
    let page = try String(contentsOf: project.build.appendingPathComponent("01-prov.html"), encoding: .utf8)
    // One for the experiment (the target of {value}), one each for the figure and the table.
    #expect(page.components(separatedBy: "<details class=\"provenance\"").count - 1 == 3)
    #expect(page.contains("<a class=\"value\" href=\"01-prov.html#prov-bn\""))
    #expect(page.contains("<details class=\"provenance\" id=\"prov-bn\">"))
    #expect(page.components(separatedBy: "<a href=\"data/runs/bn-s2.json\">data/runs/bn-s2.json</a>").count - 1 == 3)
    var config = ExperimentConfig()
    config.norm = .batch; config.shift = 0.005; config.momentum = 0.9; config.steps = 40
    config.batchSize = 128; config.width = 16; config.seed = 2
    #expect(page.contains("seed 2 · run <code title=\"run key\">\(RunKey(config: config).hex)</code>"))
    #expect(page.contains("<code>\(Provenance.command(config))</code>"))
    #expect(page.contains("Engine <code>\(EngineInfo.version)</code>"))
    // The full configuration, down to the constants no flag changes.
    #expect(page.contains("<code>momentum: 0.9</code> <code>groups: 32</code> <code>steps: 40</code>"))
    #expect(page.contains("<code>leaky-slope: 0.01</code> <code>epsilon: 0.001</code>"))
  }

  /// The `report` executable next to the test bundle (`swift test` builds it).
  static func reportExecutable() -> URL? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = here.deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("report")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }

  /// What `report run --json` prints that the test compares.
  struct Printed: Decodable {
    var g_loss: Float
    var d_loss: Float
    var d_loss_inference: Float
    var shift: [Float]
    var std_ratio: [Float]
    var distance: Float
    var steps: Int
  }

  @Test func aPrintedCommandRepeatsTheStoredRunBitForBit() throws {
    let project = try TempProject()
    try project.write("01-prov.md", Self.chapter())
    _ = try project.build()
    let page = try String(contentsOf: project.build.appendingPathComponent("01-prov.html"), encoding: .utf8)
    // The command printed for seed 2, as the reader would copy it.
    let start = try #require(page.range(of: "<pre class=\"command\"><code>report run ")?.upperBound)
    var rest = page[start...]
    rest = rest[try #require(rest.range(of: "<pre class=\"command\"><code>report run ")?.upperBound)...]
    let command = "report run " + rest[..<(try #require(rest.range(of: "</code>")?.lowerBound))]
    #expect(command.hasSuffix("--seed 2"))

    let executable = try #require(Self.reportExecutable(), "the report executable was not built next to the tests")
    let process = Process()
    process.executableURL = executable
    process.arguments = Array(command.split(separator: " ").dropFirst(1).map(String.init)) + ["--json"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let printed = try JSONDecoder().decode(Printed.self, from: data)

    // The stored run: the cache entry the site was built from.
    var config = ExperimentConfig()
    config.norm = .batch; config.shift = 0.005; config.momentum = 0.9; config.steps = 40
    config.batchSize = 128; config.width = 16; config.seed = 2
    let store = EntryStore(
      directory: project.cache.appendingPathComponent("runs"), magic: "RBRUN001", fileExtension: "run")
    guard case .found(let payload, _) = store.read(RunKey(config: config).hex) else {
      Issue.record("no cache entry for the run")
      return
    }
    let stored = try #require(RunCodec.decode(payload)).metrics
    #expect(printed.g_loss == stored.gLoss && printed.d_loss == stored.dLoss)
    #expect(printed.d_loss_inference == stored.dLossInference && printed.distance == stored.distance)
    #expect(printed.shift == stored.shift && printed.std_ratio == stored.stdRatio)
    #expect(printed.steps == 40)
  }
}
