import Testing

@testable import GANEngine

/// The fast training step (``TrainingSession``: shared passes, fused kernels) against
/// the straightforward protocol (``ReferenceSession``), step by step, for every
/// protocol combination: curves, all parameters of G and D and BN moving statistics.
///
/// The two compute the same quantities with products grouped differently (stacked
/// batches, one backward pass for both players, fused bias/normalization/activation),
/// so they agree to float rounding, which the steps then carry forward. Measured
/// worst deviations after 6 steps are about 1e-6 relative; the tolerances
/// (2e-5 absolute + 2e-4 relative on parameters and moving statistics, 1e-5 on
/// losses and lags) leave a margin of ten or more while still catching any term that
/// is missing or applied twice (those show up at 1e-3 and above after one step).
///
/// Exception: "gauge" tensors whose gradient is zero in exact arithmetic — the bias of
/// a linear layer followed by training-mode BatchNorm (the batch mean removes it), and
/// G's output bias when D sees the fakes normalized by their own batch (G mode
/// `train` with BN in D's first layer) or when G standardizes its output (moment
/// matching): a shift of all fakes changes nothing. Their gradients are pure rounding
/// noise, which Adam rescales to steps of up to about the learning rate, so both
/// implementations random-walk them differently. They still matter a little (the
/// moving mean tracks the bias; inference-mode passes see it), so after each step
/// they are checked to within 2·lr of the reference and then copied from it, which
/// keeps the comparison of everything else tight.
@Suite struct FastStepTests {
  static let steps = 6

  static let protocols = [
    "baseline", "baseline shift", "bn split", "bn split shift", "bn joint", "bn inference",
    "bn fixed", "bn joint g", "bn split joint g", "bn second", "moment match first",
    "moment match both", "layer", "layer rows left over", "group", "group of 8", "group of 12", "weight", "weight second", "none joint g",
    "none joint batches", "none inference g",
  ]

  /// How each protocol's G step shares D's passes, read off the protocol: without BN
  /// every pass gives the same rows; with BN, split batches with G mode `train` see
  /// the fakes normalized alone in both steps, joint batches with G mode `joint` see
  /// the same joint pass, and every other combination normalizes the fakes differently.
  static let expectedPaths: [String: TrainingSession.GeneratorPath] = [
    "bn joint": .separate, "bn inference": .separate, "bn fixed": .separate,
    "bn split joint g": .separate, "bn joint g": .sharedForward,
  ]

  static func config(_ name: String) -> ExperimentConfig {
    var c = ExperimentConfig()
    c.batchSize = 96
    c.width = 16
    c.groups = 4
    c.seed = 3
    switch name {
    case "baseline": break
    case "baseline shift": c.shift = 0.005
    case "bn split": c.norm = .batch
    case "bn split shift": c.norm = .batch; c.shift = 0.5
    case "bn joint": c.norm = .batch; c.dBatches = .joint
    case "bn inference": c.norm = .batch; c.gMode = .inference
    case "bn fixed": c.norm = .batch; c.dBatches = .joint; c.gMode = .inference; c.momentum = 0.9
    case "bn joint g": c.norm = .batch; c.dBatches = .joint; c.gMode = .joint
    case "bn split joint g": c.norm = .batch; c.gMode = .joint
    case "bn second": c.norm = .batch; c.normLayers = .second; c.shift = 0.005
    case "moment match first": c.norm = .batch; c.normLayers = .first; c.momentMatch = true
    case "moment match both": c.norm = .batch; c.momentMatch = true
    case "layer": c.norm = .layer; c.shift = 0.005  // eight rows side by side
    // 99 and 198 rows: eights, then 3 and 6 rows one by one; three lane vectors per row.
    case "layer rows left over": c.norm = .layer; c.batchSize = 99; c.width = 24
    case "group": c.norm = .group  // groups of 4: the scalar path
    case "group of 8": c.norm = .group; c.groups = 2  // groups of 8: the vector path
    case "group of 12": c.norm = .group; c.width = 24; c.groups = 2  // 8 in lanes, 4 one by one
    case "weight": c.norm = .weight
    case "weight second": c.norm = .weight; c.normLayers = .second; c.dBatches = .joint
    case "none joint g": c.gMode = .joint; c.dBatches = .joint
    case "none joint batches": c.dBatches = .joint
    case "none inference g": c.gMode = .inference; c.shift = 0.01
    default: preconditionFailure("unknown protocol \(name)")
    }
    return c
  }

  static func close(_ a: [Float], _ b: [Float], absolute: Float, relative: Float) -> (Bool, Float) {
    guard a.count == b.count else { return (false, .infinity) }
    var worst: Float = 0
    for i in a.indices {
      worst = max(worst, abs(a[i] - b[i]) / (absolute + relative * abs(b[i])))
    }
    return (worst <= 1, worst)
  }

  /// Indices (in visiting order) of D's biases that feed a BatchNorm directly.
  static func discriminatorGauge(_ d: Sequential) -> Set<Int> {
    var result: Set<Int> = []
    var index = 0
    for (i, layer) in d.layers.enumerated() {
      let count = FiniteDifference.tensors(of: layer, gradients: false).count
      if i + 1 < d.layers.count, d.layers[i + 1] is BatchNorm {
        result.insert(index + count - 1)  // the bias is the linear layer's last tensor
      }
      index += count
    }
    return result
  }

  /// G's output bias (tensor 5) when a common shift of the fakes is invisible to G's loss.
  static func generatorGauge(_ c: ExperimentConfig) -> Set<Int> {
    let firstBN = c.norm == .batch && c.normLayers != .second
    return c.momentMatch || (firstBN && c.gMode == .train) ? [5] : []
  }

  static func movingStatistics(_ model: Sequential) -> [[Float]] {
    model.layers.compactMap { $0 as? BatchNorm }.flatMap { [$0.movingMean, $0.movingVariance] }
  }

  @Test(arguments: protocols)
  func fastStepMatchesProtocol(_ name: String) {
    let config = Self.config(name)
    var fast = TrainingSession(config: config)
    var reference = ReferenceSession(config: config)
    // The inference-mode loss is compared at every step, not only where runs sample it.
    fast.inferenceLossInterval = 1
    reference.inferenceLossInterval = 1
    #expect(fast.hasBatchNorm == (config.norm == .batch), "\(name): BatchNorm in D")
    #expect(fast.path == Self.expectedPaths[name, default: .sharedScaled], "\(name): shared passes")
    for step in 1...Self.steps {
      let fastOK = fast.step()
      let referenceOK = reference.step()
      #expect(fastOK && referenceOK, "\(name): step \(step) failed")
      for (label, a, b) in [
        ("gLoss", fast.curves.gLoss, reference.curves.gLoss),
        ("dLoss", fast.curves.dLoss, reference.curves.dLoss),
        ("dLossInference", fast.curves.dLossInference, reference.curves.dLossInference),
        ("bnMeanLag", fast.curves.bnMeanLag, reference.curves.bnMeanLag),
        ("bnVarLag", fast.curves.bnVarLag, reference.curves.bnVarLag),
      ] {
        let (ok, worst) = Self.close(a, b, absolute: 1e-5, relative: 1e-5)
        #expect(ok, "\(name) step \(step): \(label) off by \(worst) of the tolerance")
      }
      let pairs: [(String, Sequential, Sequential)] = [
        ("G", fast.generator.sequential, reference.generator),
        ("D", fast.discriminator.sequential, reference.discriminator),
      ]
      for (label, a, b) in pairs {
        let ta = FiniteDifference.tensors(of: a, gradients: false)
        let tb = FiniteDifference.tensors(of: b, gradients: false)
        #expect(ta.count == tb.count, "\(name): \(label) tensor count")
        let gauge = label == "G" ? Self.generatorGauge(config) : Self.discriminatorGauge(b)
        for t in 0..<min(ta.count, tb.count) {
          let absolute: Float = gauge.contains(t) ? 2 * config.learningRate : 2e-5
          let (ok, worst) = Self.close(ta[t], tb[t], absolute: absolute, relative: 2e-4)
          #expect(ok, "\(name) step \(step): \(label) tensor \(t) off by \(worst) of the tolerance")
        }
      }
      // The step's gradients themselves (Adam is blind to a constant factor per
      // element, so a wrong scale would not show in the parameters): relative to the
      // largest entry of each tensor, 1e-3 (rounding of sums over the batch, ~1e-6,
      // grows where the tensor's entries nearly cancel).
      let gradientPairs: [(String, [[Float]], [[Float]], Set<Int>)] = [
        ("G", fast.generator.tensors.map(\.gradient.array),
         FiniteDifference.tensors(of: reference.generator, gradients: true), Self.generatorGauge(config)),
        ("D", fast.discriminator.tensors.map(\.gradient.array),
         FiniteDifference.tensors(of: reference.discriminator, gradients: true),
         Self.discriminatorGauge(reference.discriminator)),
      ]
      for (label, ga, gb, gauge) in gradientPairs {
        for t in 0..<min(ga.count, gb.count) where !gauge.contains(t) {
          let scale = gb[t].map { abs($0) }.max() ?? 0
          let (ok, worst) = Self.close(ga[t], gb[t], absolute: 1e-3 * scale + 1e-12, relative: 0)
          #expect(ok, "\(name) step \(step): \(label) gradient \(t) off by \(worst) of the tolerance")
        }
      }
      for t in Self.discriminatorGauge(reference.discriminator) {
        fast.discriminator.tensors[t].value.copy(from: FiniteDifference.tensors(of: reference.discriminator, gradients: false)[t])
      }
      for t in Self.generatorGauge(config) {
        fast.generator.tensors[t].value.copy(from: FiniteDifference.tensors(of: reference.generator, gradients: false)[t])
      }
      let ma = Self.movingStatistics(fast.discriminator.sequential)
      let mb = Self.movingStatistics(reference.discriminator)
      #expect(ma.count == mb.count)
      for t in 0..<min(ma.count, mb.count) {
        let (ok, worst) = Self.close(ma[t], mb[t], absolute: 2e-5, relative: 2e-4)
        #expect(ok, "\(name) step \(step): moving statistics \(t) off by \(worst) of the tolerance")
      }
    }
    // The final measurements agree too.
    let a = fast.finish(completedSteps: Self.steps, divergedAt: nil, msPerStep: 0)
    let b = reference.finish(completedSteps: Self.steps, divergedAt: nil, msPerStep: 0)
    #expect(Self.close(a.samples, b.samples, absolute: 1e-4, relative: 1e-3).0, "\(name): samples")
    #expect((a.probe == nil) == (b.probe == nil))
  }

  @Test func sharingFollowsTheProtocol() {
    func path(_ edit: (inout ExperimentConfig) -> Void) -> TrainingSession.GeneratorPath {
      var c = ExperimentConfig()
      edit(&c)
      return TrainingSession.generatorPath(c, hasBatchNorm: c.norm == .batch)
    }
    let cases: [(ExperimentConfig.Norm, ExperimentConfig.DBatches, ExperimentConfig.GMode, TrainingSession.GeneratorPath)] = [
      (.none, .split, .train, .sharedScaled),
      (.layer, .joint, .inference, .sharedScaled),
      (.weight, .split, .joint, .sharedScaled),
      (.batch, .split, .train, .sharedScaled),
      (.batch, .joint, .joint, .sharedForward),
      (.batch, .joint, .train, .separate),
      (.batch, .split, .inference, .separate),
      (.batch, .joint, .inference, .separate),
      (.batch, .split, .joint, .separate),
    ]
    for (norm, batches, mode, expected) in cases {
      let actual = path { c in
        c.norm = norm
        c.dBatches = batches
        c.gMode = mode
      }
      #expect(actual == expected, "\(norm) \(batches) \(mode)")
    }
  }
}
