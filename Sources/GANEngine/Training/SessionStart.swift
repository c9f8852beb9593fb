/// What every training session of a configuration starts from, built the same way
/// for ``TrainingSession`` and ``ReferenceSession``: the networks' shapes, the real population (from the
/// data seed) and its moments, the initial networks (from the initialization
/// stream), one Adam per network, the noise stream, and empty curves with room for
/// the whole run.
struct SessionStart {
  let generatorSpec: NetworkSpec
  let discriminatorSpec: NetworkSpec
  let real: Matrix
  let realMoments: (mean: [Float], std: [Float])
  let generator: Sequential
  let discriminator: Sequential
  let generatorOptimizer: Adam
  let discriminatorOptimizer: Adam
  let noiseStream: RandomStream

  init(_ config: ExperimentConfig) {
    let n = config.batchSize
    real = Matrix(rows: n, cols: 2, values: Banana.population(seed: config.dataSeed, count: n))
    realMoments = SampleMetrics.moments(real.values)
    generatorSpec = .generator(config)
    discriminatorSpec = .discriminator(config)
    // G's kernels are drawn first, then D's, from the one initialization stream.
    var initStream = RandomStream(seed: config.seed, stream: RandomStream.Purpose.initialization)
    generator = Networks.sequential(generatorSpec, realMoments: realMoments, rng: &initStream)
    discriminator = Networks.sequential(discriminatorSpec, realMoments: nil, rng: &initStream)
    generatorOptimizer = Adam(learningRate: config.learningRate)
    discriminatorOptimizer = Adam(learningRate: config.learningRate)
    noiseStream = RandomStream(seed: config.seed, stream: RandomStream.Purpose.noise)
  }

  /// Empty curves with capacity for `config.steps` steps (lag curves only with BN).
  static func curves(for config: ExperimentConfig, hasBatchNorm: Bool) -> RunResult.Curves {
    var curves = RunResult.Curves()
    let steps = config.steps
    curves.gLoss.reserveCapacity(steps)
    curves.dLoss.reserveCapacity(steps)
    curves.dLossInference.reserveCapacity(steps / RunResult.Curves.inferenceLossInterval + 1)
    if hasBatchNorm {
      curves.bnMeanLag.reserveCapacity(steps)
      curves.bnVarLag.reserveCapacity(steps)
    }
    return curves
  }
}
