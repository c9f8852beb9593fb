/// The straightforward training protocol, layer by layer through ``Sequential``: every
/// pass of the step that ``Trainer`` describes is computed as written (G step: G forward, D forward in the
/// G mode, D backward, G backward; D step: one or two fresh D forward/backward passes;
/// then inference-mode forward passes for the inference-mode loss, computed every
/// step and recorded at the steps ``RunResult/Curves/inferenceLossSteps(upTo:)`` lists).
///
/// ``TrainingSession`` computes the same step with shared passes and fused kernels;
/// this one is its reference (tests compare the two step by step) and the object of
/// the finite-difference checks.
struct ReferenceSession {
  let config: ExperimentConfig
  let real: Matrix
  let realMoments: (mean: [Float], std: [Float])
  var generator: Sequential
  var discriminator: Sequential
  var generatorOptimizer: Adam
  var discriminatorOptimizer: Adam
  var noiseStream: RandomStream
  var curves: RunResult.Curves
  /// Every how many steps the inference-mode D loss is evaluated (tests set 1).
  var inferenceLossInterval = RunResult.Curves.inferenceLossInterval
  /// Index of D's first BatchNorm layer, if any.
  let probeIndex: Int?
  /// Whether D's output depends on the mode (it has BatchNorm).
  let hasBatchNorm: Bool

  init(config: ExperimentConfig) {
    self.config = config
    let start = SessionStart(config)
    real = start.real
    realMoments = start.realMoments
    generator = start.generator
    discriminator = start.discriminator
    generatorOptimizer = start.generatorOptimizer
    discriminatorOptimizer = start.discriminatorOptimizer
    noiseStream = start.noiseStream
    probeIndex = discriminator.firstBatchNormIndex
    hasBatchNorm = probeIndex != nil
    curves = SessionStart.curves(for: config, hasBatchNorm: hasBatchNorm)
  }

  mutating func freshNoise() -> Matrix {
    let n = config.batchSize
    return Matrix(rows: n, cols: 2, values: noiseStream.normals(count: 2 * n))
  }

  /// What the G step computed.
  struct GeneratorPass {
    /// G(noise), before G's update.
    var fake: Matrix
    /// BCE(0, D(fake)) as G sees it (no shift term).
    var gLoss: Float
    /// The objective G minimizes: −gLoss − λ·mean(fake x).
    var objective: Float
  }

  /// What the D step computed.
  struct DiscriminatorPass {
    var dLoss: Float
    var dLossInference: Float
    /// Statistics of real ∪ fake at D's first BN layer (empty without BN).
    var batchMean: [Float]
    var batchVariance: [Float]
  }

  /// One G step and one D step. Returns false (recording nothing more) when a
  /// non-finite value appears.
  mutating func step() -> Bool {
    guard let g = generatorPass(noise: freshNoise()) else { return false }
    generatorOptimizer.update(&generator)
    guard let d = discriminatorPass(fake: g.fake) else { return false }
    discriminatorOptimizer.update(&discriminator)
    let step = curves.gLoss.count + 1
    curves.gLoss.append(g.gLoss)
    curves.dLoss.append(d.dLoss)
    if RunResult.Curves.evaluatesInferenceLoss(
      atStep: step, of: config.steps, interval: inferenceLossInterval) {
      curves.dLossInference.append(d.dLossInference)
    }
    if let index = probeIndex, let bn = discriminator.batchNorm(at: index) {
      curves.bnMeanLag.append(TrainingSession.meanAbsoluteDifference(bn.movingMean, d.batchMean))
      curves.bnVarLag.append(TrainingSession.meanAbsoluteDifference(bn.movingVariance, d.batchVariance))
    }
    return true
  }

  /// The G step without the update: G's gradients of its objective are left in G
  /// (zeroed first). D is called in the configured mode; D's parameter gradients are
  /// not touched, but its BN moving statistics update in the training modes.
  /// Nil when G's output or the loss is not finite.
  mutating func generatorPass(noise: Matrix) -> GeneratorPass? {
    let n = noise.rows
    generator.zeroGradients()
    let fake = generator.forward(noise, mode: .training)
    guard fake.isFinite else { return nil }
    let gLoss: Float
    var gradFake: Matrix
    switch config.gMode {
    case .train, .inference:
      let logits = discriminator.forward(fake, mode: config.gMode == .train ? .training : .inference)
      gLoss = BinaryCrossEntropy.loss(logits: logits.values, label: 0)
      let gradLogits = BinaryCrossEntropy.gradient(logits: logits.values, label: 0, scale: -1)
      gradFake = discriminator.backward(Matrix(rows: n, cols: 1, values: gradLogits), parameterGradients: false)
    case .joint:
      let logits = discriminator.forward(Matrix.stacked(fake, real), mode: .training)
      let fakeLogits = Array(logits.values[0..<n])
      gLoss = BinaryCrossEntropy.loss(logits: fakeLogits, label: 0)
      var gradLogits = BinaryCrossEntropy.gradient(logits: fakeLogits, label: 0, scale: -1)
      gradLogits.append(contentsOf: repeatElement(0, count: real.rows))
      let gradBoth = discriminator.backward(
        Matrix(rows: n + real.rows, cols: 1, values: gradLogits), parameterGradients: false)
      gradFake = gradBoth.rows(0..<n)
    }
    guard gLoss.isFinite else { return nil }
    var objective = -gLoss
    if config.shift != 0 {
      // d(−λ·mean(fake x))/d(fake x_i) = −λ/n.
      let g = -config.shift / Float(n)
      var sumX: Double = 0
      for i in 0..<n {
        gradFake.values[2 * i] += g
        sumX += Double(fake.values[2 * i])
      }
      objective -= config.shift * Float(sumX / Double(n))
    }
    _ = generator.backward(gradFake)
    return GeneratorPass(fake: fake, gLoss: gLoss, objective: objective)
  }

  /// The D step without the update: D's gradients of its loss are left in D (zeroed
  /// first). Nil when the loss is not finite.
  mutating func discriminatorPass(fake: Matrix) -> DiscriminatorPass? {
    let n = fake.rows
    let m = real.rows
    discriminator.zeroGradients()
    var result = DiscriminatorPass(dLoss: 0, dLossInference: 0, batchMean: [], batchVariance: [])
    switch config.dBatches {
    case .split:
      let realLogits = discriminator.forward(real, mode: .training)
      let realStats = probeStatistics()
      let realLoss = BinaryCrossEntropy.loss(logits: realLogits.values, label: 1)
      _ = discriminator.backward(
        Matrix(rows: m, cols: 1, values: BinaryCrossEntropy.gradient(logits: realLogits.values, label: 1, scale: 0.5)))
      let fakeLogits = discriminator.forward(fake, mode: .training)
      let fakeStats = probeStatistics()
      let fakeLoss = BinaryCrossEntropy.loss(logits: fakeLogits.values, label: 0)
      _ = discriminator.backward(
        Matrix(rows: n, cols: 1, values: BinaryCrossEntropy.gradient(logits: fakeLogits.values, label: 0, scale: 0.5)))
      result.dLoss = 0.5 * (realLoss + fakeLoss)
      if let r = realStats, let f = fakeStats {
        (result.batchMean, result.batchVariance) = TrainingSession.unionStatistics(r, f)
      }
      result.dLossInference = result.dLoss
      if hasBatchNorm {
        let realInference = discriminator.forward(real, mode: .inference)
        let fakeInference = discriminator.forward(fake, mode: .inference)
        result.dLossInference = 0.5 * (BinaryCrossEntropy.loss(logits: realInference.values, label: 1)
          + BinaryCrossEntropy.loss(logits: fakeInference.values, label: 0))
      }
    case .joint:
      let both = Matrix.stacked(fake, real)
      var labels = [Float](repeating: 0, count: n)
      labels.append(contentsOf: repeatElement(1, count: m))
      let logits = discriminator.forward(both, mode: .training)
      if let stats = probeStatistics() { (result.batchMean, result.batchVariance) = stats }
      result.dLoss = BinaryCrossEntropy.loss(logits: logits.values, labels: labels)
      _ = discriminator.backward(
        Matrix(rows: n + m, cols: 1, values: BinaryCrossEntropy.gradient(logits: logits.values, labels: labels)))
      result.dLossInference = result.dLoss
      if hasBatchNorm {
        let inference = discriminator.forward(both, mode: .inference)
        result.dLossInference = BinaryCrossEntropy.loss(logits: inference.values, labels: labels)
      }
    }
    guard result.dLoss.isFinite else { return nil }
    return result
  }

  /// Batch mean and variance of D's first BN layer from its last training-mode call.
  func probeStatistics() -> (mean: [Float], variance: [Float])? {
    guard let index = probeIndex, let bn = discriminator.batchNorm(at: index) else { return nil }
    return (bn.lastBatchMean, bn.lastBatchVariance)
  }

  /// Final samples, probe and metrics.
  mutating func finish(completedSteps: Int, divergedAt: Int?, msPerStep: Double) -> RunResult {
    let noise = freshNoise()
    return RunFinish.result(
      config: config, real: real, realMoments: realMoments, generator: &generator,
      discriminator: &discriminator, noise: noise, curves: curves, completedSteps: completedSteps,
      divergedAt: divergedAt, msPerStep: msPerStep)
  }
}
