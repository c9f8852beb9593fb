import ArgumentParser
import Foundation
import GANEngine

/// `report bench`: measures the engine's speed against BLAS on the step's GEMMs.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time training steps (batch 2048) and the same GEMMs in BLAS alone.")

  @Option(help: "Training steps timed per configuration.")
  var steps: Int = 100

  func validate() throws {
    guard steps >= 1 else { throw ValidationError("--steps: must be at least 1 (got \(steps))") }
  }

  func run() throws {
    print("BLAS core: \(BLASKernel.coreName) (single-threaded; \(BLASKernel.selection))")
    print("engine version: \(EngineInfo.version)")
    var cases: [(String, ExperimentConfig)] = []
    var baseline = ExperimentConfig()
    baseline.steps = steps
    cases.append(("baseline (no norm, split)", baseline))
    var split = baseline
    split.norm = .batch
    cases.append(("BN, split, train", split))
    var joint = split
    joint.dBatches = .joint
    cases.append(("BN, joint, train", joint))
    for (name, config) in cases {
      let result = Trainer(config: config).run()
      let flops = StepCost.flops(for: config)
      let gemmSeconds = StepCost.timeGEMMs(for: config, repetitions: max(5, min(steps, 50)))
      let gemmFlopRate = flops / gemmSeconds / 1e9
      let achieved = flops / (result.msPerStep / 1000) / 1e9
      print(String(
        format: "%@: %.3f ms/step, %.1f MFLOP/step, %.1f GFLOP/s achieved; "
          + "GEMMs alone %.3f ms (%.1f GFLOP/s) = %.0f%% of the step",
        name, result.msPerStep, flops / 1e6, achieved, gemmSeconds * 1000, gemmFlopRate,
        100 * gemmSeconds * 1000 / result.msPerStep))
    }
  }
}
