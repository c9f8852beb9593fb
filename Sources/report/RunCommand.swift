import ArgumentParser
import Foundation
import GANEngine

extension ExperimentConfig.Norm: ExpressibleByArgument {}
extension ExperimentConfig.NormLayers: ExpressibleByArgument {}
extension ExperimentConfig.DBatches: ExpressibleByArgument {}
extension ExperimentConfig.GMode: ExpressibleByArgument {}
extension ProductKernel: ExpressibleByArgument {}

/// `report run`: trains one GAN configuration and prints its outcome.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Train one GAN configuration and print its outcome.",
    discussion: """
      Defaults are the study's baseline: no normalization in D, split D batches, \
      D in training mode during the G step, no shift term, 2000 steps.
      """)

  @Option(help: "Normalization in D's hidden layers.")
  var norm: ExperimentConfig.Norm = .none

  @Option(help: "Which of D's hidden layers carry the normalization.")
  var normLayers: ExperimentConfig.NormLayers = .both

  @Option(help: "How the D step feeds real and fake data.")
  var dBatches: ExperimentConfig.DBatches = .split

  @Option(help: "How D runs inside the G step.")
  var gMode: ExperimentConfig.GMode = .train

  @Option(help: "λ of the shift term −λ·mean(fake x) in G's loss.")
  var shift: Float = 0

  @Flag(help: "Standardize G's output and rescale it to the real data's mean and sd.")
  var momentMatch = false

  @Option(help: "BatchNorm momentum, in [0, 1).")
  var momentum: Float = 0.99

  @Option(help: "GroupNorm groups (must divide the hidden width).")
  var groups: Int = 32

  @Option(help: "Points per batch: noise points per step and size of the real population.")
  var batchSize: Int = 2048

  @Option(help: "Width of every hidden layer of G and D.")
  var width: Int = 64

  @Option(help: "Adam's learning rate for both networks.")
  var learningRate: Float = 1e-3

  @Option(help: "Training steps (at least 1).")
  var steps: Int = 2000

  @Option(help: "Seed of the initialization and noise.")
  var seed: UInt64 = 1

  @Option(help: "Seed of the real population.")
  var dataSeed: UInt64 = 0

  @Option(help: "How the matrix products are computed: portable (the same bits on every CPU) or openblas.")
  var kernel: ProductKernel = .portable

  @Flag(help: "Print one JSON object instead of a summary.")
  var json = false

  @Flag(help: "Also time the matrix products inside each step and print, on standard error, how the step splits between them and everything else.")
  var profile = false

  /// The configuration the flags describe.
  var experiment: ExperimentConfig {
    var config = ExperimentConfig()
    config.norm = norm
    config.normLayers = normLayers
    config.dBatches = dBatches
    config.gMode = gMode
    config.shift = shift
    config.momentMatch = momentMatch
    config.momentum = momentum
    config.groups = groups
    config.batchSize = batchSize
    config.width = width
    config.learningRate = learningRate
    config.steps = steps
    config.seed = seed
    config.dataSeed = dataSeed
    config.kernel = kernel
    return config
  }

  func validate() throws {
    do {
      try experiment.validate()
    } catch let error as ConfigurationError {
      let flag = "--" + error.field.replacingOccurrences(of: "_", with: "-")
      throw ValidationError("\(flag): \(error.message)")
    }
  }

  func run() throws {
    let trainer = Trainer(config: experiment)
    let result: RunResult
    if profile {
      let (profiled, split) = trainer.runProfiled()
      result = profiled
      FileHandle.standardError.write(Data(Self.describe(split).utf8))
    } else {
      result = trainer.run()
    }
    if json {
      let data = try RunResult.jsonEncoder().encode(RunSummary(result))
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(RunSummary(result).text)
    }
  }
}

extension RunCommand {
  /// The step's split between its products and the rest, then its products shape by
  /// shape in the order the step first calls them, for `--profile`.
  static func describe(_ p: StepProfile) -> String {
    let share = p.stepMilliseconds > 0 ? 100 * p.productMilliseconds / p.stepMilliseconds : 0
    var text = String(
      format: "step %.3f ms: products %.3f ms (%.0f%%; %.1f per step, %.1f MFLOP, %.1f GFLOP/s), everything else %.3f ms\n",
      p.stepMilliseconds, p.productMilliseconds, share, p.productsPerStep, p.productMFLOP, p.productRate,
      p.otherMilliseconds)
    for s in p.shapes {
      text += "  " + BenchCommand.describe(s.shape).padding(toLength: 19, withPad: " ", startingAt: 0)
        + String(format: "%4.1f per step  %.3f ms  %5.1f GFLOP/s\n", s.callsPerStep, s.milliseconds, s.rate)
    }
    return text
  }
}

/// The outcome of one run in the shape `report run` prints (JSON keys in snake_case).
struct RunSummary: Encodable {
  var config: ExperimentConfig
  var engineVersion: String
  var gLoss: Float
  var dLoss: Float
  var dLossInference: Float
  var shift: [Float]
  var stdRatio: [Float]
  var distance: Float
  var diverged: Bool
  var divergedAtStep: Int?
  var steps: Int
  var msPerStep: Double

  init(_ result: RunResult) {
    config = result.config
    engineVersion = EngineInfo.version
    gLoss = result.metrics.gLoss
    dLoss = result.metrics.dLoss
    dLossInference = result.metrics.dLossInference
    shift = result.metrics.shift
    stdRatio = result.metrics.stdRatio
    distance = result.metrics.distance
    diverged = result.diverged
    divergedAtStep = result.divergedAtStep
    steps = result.steps
    msPerStep = result.msPerStep
  }

  private enum CodingKeys: String, CodingKey {
    case config, engineVersion = "engine_version", gLoss = "g_loss", dLoss = "d_loss"
    case dLossInference = "d_loss_inference", shift, stdRatio = "std_ratio", distance
    case diverged, divergedAtStep = "diverged_at_step", steps, msPerStep = "ms_per_step"
  }

  /// A few readable lines.
  var text: String {
    func f(_ x: Float) -> String { String(format: "%.4f", Double(x)) }
    let c = config
    var lines = [
      "config: norm=\(c.norm.rawValue) norm-layers=\(c.normLayers.rawValue) "
        + "d-batches=\(c.dBatches.rawValue) g-mode=\(c.gMode.rawValue) shift=\(c.shift) "
        + "moment-match=\(c.momentMatch) momentum=\(c.momentum) groups=\(c.groups) "
        + "steps=\(c.steps) seed=\(c.seed) data-seed=\(c.dataSeed)",
      "losses (final): G \(f(gLoss))  D \(f(dLoss))  D in inference mode \(f(dLossInference))"
        + "  (equilibrium ln 2 = 0.6931)",
      "shift of fake mean: x \(f(shift[0]))  y \(f(shift[1]))",
      "sd ratio fake/real: x \(f(stdRatio[0]))  y \(f(stdRatio[1]))",
      "energy distance: \(f(distance))",
      "steps: \(steps)" + String(format: "  (%.2f ms/step)", msPerStep),
    ]
    if diverged {
      lines.append("DIVERGED: non-finite values at step \(divergedAtStep.map(String.init) ?? "?")")
    }
    return lines.joined(separator: "\n")
  }
}
