import ArgumentParser
import GANEngine
import Testing

@testable import report

/// `report run`'s flags → the ``ExperimentConfig`` it trains, and the errors bad flags
/// give (in the flag's own spelling).
@Suite struct RunCommandTests {
  @Test func noFlagsGiveTheStudysBaseline() throws {
    let command = try RunCommand.parse([])
    #expect(command.experiment == ExperimentConfig())
    #expect(!command.json && !command.profile)
  }

  @Test func everyFlagSetsItsField() throws {
    let command = try RunCommand.parse([
      "--norm", "group", "--norm-layers", "second", "--d-batches", "joint", "--g-mode", "inference",
      "--shift", "0.25", "--moment-match", "--momentum", "0.9", "--groups", "4", "--batch-size", "96",
      "--width", "16", "--learning-rate", "0.002", "--steps", "7", "--seed", "11", "--data-seed", "5",
      "--json", "--profile",
    ])
    var expected = ExperimentConfig()
    expected.norm = .group
    expected.normLayers = .second
    expected.dBatches = .joint
    expected.gMode = .inference
    expected.shift = 0.25
    expected.momentMatch = true
    expected.momentum = 0.9
    expected.groups = 4
    expected.batchSize = 96
    expected.width = 16
    expected.learningRate = 0.002
    expected.steps = 7
    expected.seed = 11
    expected.dataSeed = 5
    #expect(command.experiment == expected)
    #expect(command.json && command.profile)
  }

  @Test(arguments: ExperimentConfig.Norm.allCases)
  func everyNormalizationHasItsFlagValue(_ norm: ExperimentConfig.Norm) throws {
    #expect(try RunCommand.parse(["--norm", norm.rawValue]).experiment.norm == norm)
  }

  @Test func invalidSettingsNameTheFlag() {
    let cases: [([String], String)] = [
      (["--norm", "group", "--groups", "5"], "--groups: 5 does not divide the width 64"),
      (["--steps", "0"], "--steps: must be at least 1 (got 0)"),
      (["--batch-size", "1"], "--batch-size: must be at least 2 (got 1)"),
      (["--learning-rate=-1"], "--learning-rate: must be positive and finite (got -1.0)"),
      (["--momentum", "1"], "--momentum: must be in [0, 1) (got 1.0)"),
    ]
    for (arguments, message) in cases {
      do {
        _ = try RunCommand.parse(arguments)
        Issue.record("\(arguments) should be rejected")
      } catch {
        #expect(RunCommand.message(for: error) == message, "\(arguments)")
      }
    }
  }

  @Test func unknownValuesAreRejected() {
    #expect(throws: (any Error).self) { try RunCommand.parse(["--norm", "instance"]) }
    #expect(throws: (any Error).self) { try RunCommand.parse(["--d-batches", "both"]) }
  }

  @Test func summaryCarriesTheResultAndTheEngineVersion() throws {
    var config = ExperimentConfig()
    config.batchSize = 32
    config.width = 8
    config.steps = 3
    let result = Trainer(config: config).run()
    let summary = RunSummary(result)
    #expect(summary.config == config && summary.engineVersion == EngineInfo.version)
    #expect(summary.gLoss == result.metrics.gLoss && summary.distance == result.metrics.distance)
    #expect(summary.steps == 3 && !summary.diverged)
    #expect(summary.text.contains("steps=3") && summary.text.contains("norm=none"))
  }

  @Test func profileLineSplitsTheStep() {
    let profile = StepProfile(stepMilliseconds: 3, productMilliseconds: 2, productMFLOP: 150, productsPerStep: 11.2)
    #expect(
      RunCommand.describe(profile)
        == "step 3.000 ms: products 2.000 ms (67%; 11.2 per step, 150.0 MFLOP, 75.0 GFLOP/s), everything else 1.000 ms\n")
  }

  @Test func profileListsEachShapeWithItsRateInTheStep() {
    // 2·2048·64·64 = 16.8 MFLOP per call: two calls in 0.4 ms are 83.9 GFLOP/s; one call
    // every 10th step of 64×1×4096 (0.5 MFLOP) in 0.002 ms is 26.2 GFLOP/s.
    let shapes = [
      StepProfile.Shape(shape: .init(m: 2048, n: 64, k: 64, transposeB: true), callsPerStep: 2, milliseconds: 0.4),
      StepProfile.Shape(shape: .init(m: 64, n: 1, k: 4096, transposeA: true), callsPerStep: 0.1, milliseconds: 0.002),
    ]
    let profile = StepProfile(
      stepMilliseconds: 1, productMilliseconds: 0.402, productMFLOP: 33.6, productsPerStep: 2.1, shapes: shapes)
    let lines = RunCommand.describe(profile).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[1] == "  2048×64×64  A·Bᵀ    2.0 per step  0.400 ms   83.9 GFLOP/s")
    #expect(lines[2] == "  64×1×4096   Aᵀ·B    0.1 per step  0.002 ms   26.2 GFLOP/s")
  }
}
