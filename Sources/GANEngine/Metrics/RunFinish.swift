/// The end of a run, shared by ``TrainingSession`` and ``ReferenceSession``: final
/// samples, the BN probe and the metrics (see ``Trainer``).
enum RunFinish {
  static func result(
    config: ExperimentConfig, real: Matrix, realMoments: (mean: [Float], std: [Float]),
    generator: inout Sequential, discriminator: inout Sequential, noise: Matrix,
    curves: RunResult.Curves, completedSteps: Int, divergedAt: Int?, msPerStep: Double
  ) -> RunResult {
    let samplesMatrix = generator.forward(noise, mode: .inference)
    let samples = samplesMatrix.values
    var probe: RunResult.BNProbe? = nil
    if let index = discriminator.firstBatchNormIndex, let bn = discriminator.batchNorm(at: index) {
      _ = discriminator.forward(real, mode: .inference)
      let realInput = discriminator.layerInputs[index].columnMoments()
      _ = discriminator.forward(samplesMatrix, mode: .inference)
      let fakeInput = discriminator.layerInputs[index].columnMoments()
      probe = RunResult.BNProbe(
        realMean: realInput.mean, fakeMean: fakeInput.mean, movingMean: bn.movingMean,
        realVar: realInput.variance, fakeVar: fakeInput.variance, movingVar: bn.movingVariance)
    }
    let fakeMoments = SampleMetrics.moments(samples)
    let shift = (0..<2).map { fakeMoments.mean[$0] - realMoments.mean[$0] }
    let ratio = (0..<2).map { fakeMoments.std[$0] / realMoments.std[$0] }
    let distance = samplesMatrix.isFinite ? SampleMetrics.energyDistance(samples, real.values) : .nan
    let metrics = RunResult.Metrics(
      shift: shift, stdRatio: ratio, distance: distance,
      gLoss: curves.gLoss.last ?? .nan, dLoss: curves.dLoss.last ?? .nan,
      dLossInference: curves.dLossInference.last ?? .nan)
    return RunResult(
      config: config, curves: curves, samples: samples, probe: probe, metrics: metrics,
      diverged: divergedAt != nil, divergedAtStep: divergedAt, steps: completedSteps,
      msPerStep: msPerStep)
  }
}
