import Foundation
import Testing

@testable import GANEngine

@Suite struct TrainerTests {
  static func small(_ edit: (inout ExperimentConfig) -> Void = { _ in }) -> ExperimentConfig {
    var config = ExperimentConfig()
    config.batchSize = 128
    config.width = 16
    config.groups = 4
    config.steps = 40
    edit(&config)
    return config
  }

  /// Everything but the timing.
  static func reproducible(_ r: RunResult) -> RunResult {
    var copy = r
    copy.msPerStep = 0
    return copy
  }

  @Test func baselineShortRunRecordsEverything() {
    var config = Self.small()
    config.steps = 200
    var calls: [Int] = []
    let result = Trainer(config: config).run { step, total in
      calls.append(step)
      #expect(total == 200)
    }
    #expect(!result.diverged && result.divergedAtStep == nil)
    #expect(result.steps == 200)
    #expect(result.curves.gLoss.count == 200 && result.curves.dLoss.count == 200)
    // Sampled every 10th step (the last included); without BN the modes agree.
    let sampled = RunResult.Curves.inferenceLossSteps(upTo: 200)
    #expect(sampled == Array(stride(from: 10, through: 200, by: 10)))
    #expect(result.curves.dLossInference == sampled.map { result.curves.dLoss[$0 - 1] })
    #expect(result.curves.bnMeanLag.isEmpty && result.probe == nil)
    #expect(result.samples.count == 2 * 128)
    #expect(calls.count == 20 && calls.last == 200)
    #expect(result.curves.gLoss.allSatisfy(\.isFinite) && result.curves.dLoss.allSatisfy(\.isFinite))
    #expect(result.metrics.distance.isFinite && result.metrics.distance >= 0)
    #expect(result.metrics.gLoss == result.curves.gLoss.last)
  }

  @Test func sameConfigurationGivesBitIdenticalResults() {
    let config = Self.small { $0.norm = .batch; $0.shift = 0.005 }
    let a = Self.reproducible(Trainer(config: config).run())
    let b = Self.reproducible(Trainer(config: config).run())
    #expect(a == b)
    var other = config
    other.seed = 2
    #expect(Self.reproducible(Trainer(config: other).run()).samples != a.samples)
  }

  @Test(arguments: [
    "bn split", "bn joint", "bn inference", "bn fixed", "joint g", "layer", "group", "weight",
    "bn second", "moment match first", "moment match both",
  ])
  func everyProtocolRunsAndRecords(_ name: String) {
    let config = Self.small { c in
      switch name {
      case "bn split": c.norm = .batch
      case "bn joint": c.norm = .batch; c.dBatches = .joint
      case "bn inference": c.norm = .batch; c.gMode = .inference
      case "bn fixed": c.norm = .batch; c.dBatches = .joint; c.gMode = .inference; c.momentum = 0.9
      case "joint g": c.norm = .batch; c.dBatches = .joint; c.gMode = .joint
      case "layer": c.norm = .layer; c.shift = 0.005
      case "group": c.norm = .group
      case "weight": c.norm = .weight
      case "bn second": c.norm = .batch; c.normLayers = .second; c.shift = 0.005
      case "moment match first": c.norm = .batch; c.normLayers = .first; c.momentMatch = true
      case "moment match both": c.norm = .batch; c.momentMatch = true
      default: Issue.record("unknown case \(name)")
      }
    }
    let result = Trainer(config: config).run()
    #expect(!result.diverged)
    #expect(result.curves.gLoss.count == config.steps)
    let usesBN = config.norm == .batch
    #expect((result.probe != nil) == usesBN)
    #expect(result.curves.bnMeanLag.count == (usesBN ? config.steps : 0))
    #expect(result.curves.dLossInference.count == 4)  // steps 10, 20, 30, 40
    #expect(result.metrics.dLossInference == result.curves.dLossInference.last)
    if let probe = result.probe {
      #expect(probe.realMean.count == 16 && probe.movingVar.count == 16)
      #expect(probe.fakeVar.allSatisfy { $0 >= 0 })
    }
    if config.momentMatch {
      // G's samples carry the real population's mean and sd by construction.
      #expect(result.metrics.shift.allSatisfy { abs($0) < 1e-3 })
      #expect(result.metrics.stdRatio.allSatisfy { abs($0 - 1) < 1e-3 })
    }
  }

  @Test func inferenceLossScheduleEndsWithTheLastStep() {
    #expect(RunResult.Curves.inferenceLossSteps(upTo: 25) == [10, 20, 25])
    #expect(RunResult.Curves.inferenceLossSteps(upTo: 5) == [5])
    #expect(RunResult.Curves.inferenceLossSteps(upTo: 2000).count == 200)
  }

  /// The inference-mode pass only reads D: evaluating it at every step or every 10th
  /// gives the same training and, at the sampled steps, the same values.
  @Test func samplingTheInferenceLossLeavesTrainingUnchanged() {
    let config = Self.small { $0.norm = .batch; $0.steps = 25 }
    var every = TrainingSession(config: config)
    every.inferenceLossInterval = 1
    var sampled = TrainingSession(config: config)
    for _ in 1...config.steps {
      #expect(every.step() && sampled.step())
    }
    #expect(every.curves.gLoss == sampled.curves.gLoss && every.curves.dLoss == sampled.curves.dLoss)
    #expect(every.curves.bnMeanLag == sampled.curves.bnMeanLag)
    #expect(every.curves.dLossInference.count == 25)
    #expect(sampled.curves.dLossInference == [10, 20, 25].map { every.curves.dLossInference[$0 - 1] })
    #expect(every.curves.dLossInference != every.curves.dLoss)  // BN: the modes differ
  }

  @Test func divergenceStopsCleanly() {
    let config = Self.small { $0.learningRate = 1e30; $0.norm = .batch; $0.steps = 50 }
    let result = Trainer(config: config).run()
    #expect(result.diverged)
    let step = result.divergedAtStep ?? 0
    #expect(step >= 1 && step <= 50)
    #expect(result.steps == step - 1 && result.curves.gLoss.count == step - 1)
    // The JSON round trip keeps non-finite metrics.
    let data = try? RunResult.jsonEncoder().encode(result)
    let decoded = data.flatMap { try? RunResult.jsonDecoder().decode(RunResult.self, from: $0) }
    #expect(decoded?.diverged == true)
    #expect(decoded?.steps == result.steps)
  }

  @Test func jsonRoundTripIsExactAndSorted() throws {
    var result = Self.reproducible(Trainer(config: Self.small { $0.steps = 3; $0.norm = .batch }).run())
    result.metrics.distance = .nan
    result.metrics.gLoss = .infinity
    let data = try RunResult.jsonEncoder().encode(result)
    let back = try RunResult.jsonDecoder().decode(RunResult.self, from: data)
    #expect(back.metrics.distance.isNaN && back.metrics.gLoss == .infinity)
    #expect(back.samples == result.samples && back.curves == result.curves && back.probe == result.probe)
    #expect(try RunResult.jsonEncoder().encode(back) == data)
  }

  @Test func invalidConfigurationsNameTheSetting() {
    func field(_ edit: (inout ExperimentConfig) -> Void) -> String? {
      var config = ExperimentConfig()
      edit(&config)
      do {
        try Trainer.validate(config)
        return nil
      } catch let error as ConfigurationError {
        return error.field
      } catch {
        return "unexpected"
      }
    }
    #expect(field { _ in } == nil)
    #expect(field { $0.norm = .group; $0.groups = 5 } == "groups")
    #expect(field { $0.norm = .group; $0.groups = 16 } == nil)
    #expect(field { $0.momentum = 1 } == "momentum")
    #expect(field { $0.momentum = -0.1 } == "momentum")
    #expect(field { $0.steps = 0 } == "steps")
    #expect(field { $0.batchSize = 1 } == "batch_size")
    #expect(field { $0.shift = .nan } == "shift")
    #expect(field { $0.learningRate = 0 } == "learning_rate")
    #expect(field { $0.epsilon = 0 } == "epsilon")
  }
}
