/// The mutable state of one training run — networks, optimizers, noise stream,
/// curves — and the fast training step.
///
/// The step computes what ``ReferenceSession`` computes pass by pass (the protocol
/// ``Trainer`` describes), sharing every pass whose result is the same:
/// - D's input is one stacked batch, fakes in rows `0..<n`, the real population in
///   rows `n..<2n`; split batches are two BatchNorm segments of one pass, so each
///   layer runs one product over both.
/// - D's first linear map depends neither on the mode nor on the other rows: it is
///   computed once per step and reused by the G step's pass, the D step's pass and
///   the inference-mode pass.
/// - When the G step's D pass is the D step's pass (no BatchNorm: every mode gives
///   the same rows; BatchNorm with split batches and G mode `train`: the fake segment
///   is normalized by the fake batch alone in both steps; BatchNorm with joint batches
///   and G mode `joint`: the same joint pass), it runs once. Its moving-statistics
///   updates are still applied as often and in the order the protocol applies them
///   (split/train: fake, real, fake; joint/joint: joint twice).
/// - For the first two of those cases, G's gradient dL_G/d(fake) is −2 × the D step's
///   dL_D/d(fake): the upstream gradients on the fake logits are −σ(z)/n and
///   ½·σ(z)/n (split) or σ(z)/2n (joint), and the fake rows' backward pass depends on
///   nothing else. So one backward pass through D serves both networks; the factor
///   −2 is exact in floating point. With joint/joint BatchNorm the real rows' upstream
///   differs and mixes into the fakes' gradient through the batch statistics, so G
///   gets a second backward pass (input gradients only) through the shared forward.
/// - Otherwise (BatchNorm with G mode `inference`, or with batches and G mode that
///   normalize the fakes differently) the G step runs its own D pass first, as the
///   protocol does.
///
/// Results agree with ``ReferenceSession`` to float rounding (the products are
/// grouped differently), not bit for bit.
struct TrainingSession {
  /// How the G step's pass through D relates to the D step's pass.
  enum GeneratorPath: Equatable {
    /// Same forward pass; dL_G/d(fake) = −2·dL_D/d(fake) from the one backward pass.
    case sharedScaled
    /// Same forward pass; a second backward pass for G.
    case sharedForward
    /// G's own forward and backward pass before the D step.
    case separate
  }

  let config: ExperimentConfig
  let real: Matrix
  let realMoments: (mean: [Float], std: [Float])
  let generator: FusedGenerator
  let discriminator: FusedDiscriminator
  var generatorOptimizer: Adam
  var discriminatorOptimizer: Adam
  var noiseStream: RandomStream
  var curves: RunResult.Curves
  /// Every how many steps the inference-mode D loss is evaluated (tests set 1).
  var inferenceLossInterval = RunResult.Curves.inferenceLossInterval
  /// Whether D's output depends on the mode (it has BatchNorm).
  let hasBatchNorm: Bool
  let path: GeneratorPath
  private let fakeSegment: [Range<Int>]
  private let splitSegments: [Range<Int>]
  private let jointSegment: [Range<Int>]
  private let splitUpdateOrder: [Int]
  private let jointUpdateOrder: [Int]

  /// A session for `config`; `productClock`, when given, times every product of its steps.
  init(config: ExperimentConfig, productClock: ProductClock? = nil) {
    self.config = config
    let n = config.batchSize
    let start = SessionStart(config)
    real = start.real
    realMoments = start.realMoments
    generator = FusedGenerator(
      start.generatorSpec, rows: n, parameters: InitialParameters(start.generator), realMoments: start.realMoments)
    discriminator = FusedDiscriminator(
      start.discriminatorSpec, capacity: 2 * n, parameters: InitialParameters(start.discriminator))
    discriminator.input.base.advanced(by: 2 * n).update(from: real.values, count: 2 * n)
    generatorOptimizer = start.generatorOptimizer
    discriminatorOptimizer = start.discriminatorOptimizer
    noiseStream = start.noiseStream
    hasBatchNorm = discriminator.probe != nil
    path = Self.generatorPath(config, hasBatchNorm: hasBatchNorm)
    fakeSegment = [0..<n]
    splitSegments = [0..<n, n..<(2 * n)]
    jointSegment = [0..<(2 * n)]
    // Split: the slots are fake (0) and real (1); the protocol updates real then fake
    // in the D step, after the G step's fake update when that pass is shared.
    splitUpdateOrder = path == .sharedScaled && hasBatchNorm ? [0, 1, 0] : [1, 0]
    jointUpdateOrder = path == .sharedForward ? [0, 0] : [0]
    curves = SessionStart.curves(for: config, hasBatchNorm: hasBatchNorm)
    if let productClock {
      generator.attach(productClock)
      discriminator.attach(productClock)
    }
  }

  /// Which passes the G step can share with the D step (see the type's documentation).
  static func generatorPath(_ config: ExperimentConfig, hasBatchNorm: Bool) -> GeneratorPath {
    if !hasBatchNorm { return .sharedScaled }
    switch (config.dBatches, config.gMode) {
    case (.split, .train): return .sharedScaled
    case (.joint, .joint): return .sharedForward
    default: return .separate
    }
  }

  /// Fills G's noise buffer from the noise stream (the same draws as ``ReferenceSession/freshNoise()``).
  mutating func drawNoise() {
    noiseStream.fillNormals(generator.noise.base, count: generator.noise.count)
  }

  /// One G step and one D step. Returns false (recording nothing more) when a
  /// non-finite value appears, at the same points as ``ReferenceSession/step()``.
  mutating func step() -> Bool {
    let n = config.batchSize
    let m = real.rows
    let rows = n + m
    let g = generator
    let d = discriminator

    // G forward.
    drawNoise()
    g.prepareStep()
    g.zeroGradients()
    g.forward()
    let fake = g.fake.base
    for i in 0..<(2 * n) where !fake[i].isFinite { return false }
    d.input.base.update(from: fake, count: 2 * n)
    d.prepareStep()
    d.zeroGradients()
    d.computeFirstLinear(rows: rows)

    let logits = d.logits
    let gradLogits = d.gradLogits.base
    let gradFake = g.gradFake.base
    var gLoss: Float = .nan

    // The G step's own pass through D, when it cannot be shared.
    if path == .separate {
      let gRows: Int
      switch config.gMode {
      case .inference:
        d.forward(rows: n, mode: .inference, segments: fakeSegment)
        gRows = n
      case .train:
        d.forward(rows: n, mode: .training, segments: fakeSegment)
        d.applyMovingUpdates([0])
        gRows = n
      case .joint:
        d.forward(rows: rows, mode: .training, segments: jointSegment)
        d.applyMovingUpdates([0])
        gRows = rows
      }
      var sum: Double = 0
      BinaryCrossEntropy.accumulateLoss(logits, count: n, label: 0, into: &sum)
      gLoss = Float(sum / Double(n))
      guard gLoss.isFinite else { return false }
      BinaryCrossEntropy.writeGradient(logits, count: n, label: 0, factor: -1 / Float(n), into: gradLogits)
      for i in n..<gRows { gradLogits[i] = 0 }
      d.backward(rows: gRows, parameterGradients: false, inputGradientRows: n)
      gradFake.update(from: d.gradInput.base, count: 2 * n)
    }

    // The D step's pass.
    var dLoss: Float
    var lag: (mean: Float, variance: Float)? = nil
    var fakeSum: Double = 0
    switch config.dBatches {
    case .split:
      d.forward(rows: rows, mode: .training, segments: splitSegments)
      d.applyMovingUpdates(splitUpdateOrder)
      var realSum: Double = 0
      BinaryCrossEntropy.accumulateLoss(logits + n, count: m, label: 1, into: &realSum)
      BinaryCrossEntropy.accumulateLoss(logits, count: n, label: 0, into: &fakeSum)
      dLoss = 0.5 * (Float(realSum / Double(m)) + Float(fakeSum / Double(n)))
      BinaryCrossEntropy.writeGradient(logits, count: n, label: 0, factor: 0.5 / Float(n), into: gradLogits)
      BinaryCrossEntropy.writeGradient(
        logits + n, count: m, label: 1, factor: 0.5 / Float(m), into: gradLogits + n)
      lag = probeLag(union: true)
    case .joint:
      d.forward(rows: rows, mode: .training, segments: jointSegment)
      d.applyMovingUpdates(jointUpdateOrder)
      var sum: Double = 0
      BinaryCrossEntropy.accumulateLoss(logits, count: n, label: 0, into: &sum)
      BinaryCrossEntropy.accumulateLoss(logits + n, count: m, label: 1, into: &sum)
      dLoss = Float(sum / Double(rows))
      if path != .separate {
        BinaryCrossEntropy.accumulateLoss(logits, count: n, label: 0, into: &fakeSum)
      }
      let factor = 1 / Float(rows)
      BinaryCrossEntropy.writeGradient(logits, count: n, label: 0, factor: factor, into: gradLogits)
      BinaryCrossEntropy.writeGradient(logits + n, count: m, label: 1, factor: factor, into: gradLogits + n)
      lag = probeLag(union: false)
    }
    if path != .separate {
      gLoss = Float(fakeSum / Double(n))
      guard gLoss.isFinite else { return false }
    }
    d.backward(rows: rows, parameterGradients: true, inputGradientRows: path == .sharedScaled ? n : 0)
    switch path {
    case .sharedScaled:
      let dx = d.gradInput.base
      for i in 0..<(2 * n) { gradFake[i] = -2 * dx[i] }
    case .sharedForward:
      BinaryCrossEntropy.writeGradient(logits, count: n, label: 0, factor: -1 / Float(n), into: gradLogits)
      for i in n..<rows { gradLogits[i] = 0 }
      d.backward(rows: rows, parameterGradients: false, inputGradientRows: n)
      gradFake.update(from: d.gradInput.base, count: 2 * n)
    case .separate:
      break
    }

    // G's update (before D's loss is checked, as in the protocol).
    if config.shift != 0 {
      let s = -config.shift / Float(n)
      for i in 0..<n { gradFake[2 * i] += s }
    }
    g.backward()
    g.finishGradients()
    generatorOptimizer.update(g.tensors)
    guard dLoss.isFinite else { return false }

    // D's loss in inference mode on the same batches (moving statistics as updated),
    // at the steps where the curve samples it.
    let step = curves.gLoss.count + 1
    let evaluatesInference = RunResult.Curves.evaluatesInferenceLoss(
      atStep: step, of: config.steps, interval: inferenceLossInterval)
    var dLossInference = dLoss
    if hasBatchNorm && evaluatesInference {
      d.forward(rows: rows, mode: .inference, segments: jointSegment)
      switch config.dBatches {
      case .split:
        var realSum: Double = 0
        var fakeInference: Double = 0
        BinaryCrossEntropy.accumulateLoss(logits + n, count: m, label: 1, into: &realSum)
        BinaryCrossEntropy.accumulateLoss(logits, count: n, label: 0, into: &fakeInference)
        dLossInference = 0.5 * (Float(realSum / Double(m)) + Float(fakeInference / Double(n)))
      case .joint:
        var sum: Double = 0
        BinaryCrossEntropy.accumulateLoss(logits, count: n, label: 0, into: &sum)
        BinaryCrossEntropy.accumulateLoss(logits + n, count: m, label: 1, into: &sum)
        dLossInference = Float(sum / Double(rows))
      }
    }
    d.finishGradients()
    discriminatorOptimizer.update(d.tensors)

    curves.gLoss.append(gLoss)
    curves.dLoss.append(dLoss)
    if evaluatesInference { curves.dLossInference.append(dLossInference) }
    if let lag {
      curves.bnMeanLag.append(lag.mean)
      curves.bnVarLag.append(lag.variance)
    }
    return true
  }

  /// Mean absolute differences between the probe BatchNorm's moving statistics and
  /// the statistics of the D step's whole batch (for split batches the union of the
  /// real segment and the fake segment, as ``unionStatistics(_:_:)``). Nil without BN.
  private func probeLag(union: Bool) -> (mean: Float, variance: Float)? {
    guard let bn = discriminator.probe else { return nil }
    let movingMean = bn.movingMean.base
    let movingVariance = bn.movingVariance.base
    let f = bn.width
    let mean = bn.statMean.base
    let variance = bn.statVariance.base
    var meanSum: Float = 0
    var varianceSum: Float = 0
    for c in 0..<f {
      var mu = mean[c]
      var v = variance[c]
      if union {
        // a = real (slot 1), b = fake (slot 0).
        let (am, bm) = (mean[f + c], mean[c])
        mu = 0.5 * (am + bm)
        let half = 0.5 * (am - bm)
        v = 0.5 * (variance[f + c] + variance[c]) + half * half
      }
      meanSum += abs(movingMean[c] - mu)
      varianceSum += abs(movingVariance[c] - v)
    }
    return (meanSum / Float(f), varianceSum / Float(f))
  }

  /// Mean and biased variance of the union of two equally large batches.
  static func unionStatistics(
    _ a: (mean: [Float], variance: [Float]), _ b: (mean: [Float], variance: [Float])
  ) -> (mean: [Float], variance: [Float]) {
    var mean = a.mean
    var variance = a.variance
    for c in mean.indices {
      mean[c] = 0.5 * (a.mean[c] + b.mean[c])
      let half = 0.5 * (a.mean[c] - b.mean[c])
      variance[c] = 0.5 * (a.variance[c] + b.variance[c]) + half * half
    }
    return (mean, variance)
  }

  static func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count && !a.isEmpty, "meanAbsoluteDifference: sizes differ")
    var sum: Float = 0
    for i in a.indices { sum += abs(a[i] - b[i]) }
    return sum / Float(a.count)
  }

  /// Final samples, probe and metrics (G and D as separate layers).
  mutating func finish(completedSteps: Int, divergedAt: Int?, msPerStep: Double) -> RunResult {
    var generatorLayers = generator.sequential
    var discriminatorLayers = discriminator.sequential
    drawNoise()
    let noise = Matrix(rows: config.batchSize, cols: 2, values: generator.noise.array)
    return RunFinish.result(
      config: config, real: real, realMoments: realMoments, generator: &generatorLayers,
      discriminator: &discriminatorLayers, noise: noise, curves: curves,
      completedSteps: completedSteps, divergedAt: divergedAt, msPerStep: msPerStep)
  }
}
