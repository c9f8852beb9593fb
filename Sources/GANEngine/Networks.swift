/// Builds the study's G and D for a configuration.
enum Networks {
  /// G: Dense(w) → LeakyReLU → Dense(w) → LeakyReLU → Dense(2)
  /// [→ MomentMatching to the real population's mean and sd].
  static func generator(_ config: ExperimentConfig, realMoments: (mean: [Float], std: [Float]),
                        rng: inout RandomStream) -> Sequential {
    let w = config.width
    var layers: [any Layer] = [
      Dense(inputs: 2, outputs: w, rng: &rng),
      LeakyReLU(width: w, slope: config.leakySlope),
      Dense(inputs: w, outputs: w, rng: &rng),
      LeakyReLU(width: w, slope: config.leakySlope),
      Dense(inputs: w, outputs: 2, rng: &rng),
    ]
    if config.momentMatch {
      layers.append(MomentMatching(targetMean: realMoments.mean, targetStd: realMoments.std))
    }
    return Sequential(layers)
  }

  /// D: Dense(w) → [norm] → LeakyReLU → Dense(w) → [norm] → LeakyReLU → Dense(1).
  ///
  /// `norm` = batch/layer/group inserts that layer after the Dense of each selected
  /// hidden layer; `weight` replaces the selected hidden Dense layers by
  /// ``WeightNormDense`` (the output layer stays a plain Dense).
  static func discriminator(_ config: ExperimentConfig, rng: inout RandomStream) -> Sequential {
    let w = config.width
    var layers: [any Layer] = []
    for hidden in 0..<2 {
      let inputs = hidden == 0 ? 2 : w
      let normalized: Bool
      switch config.normLayers {
      case .both: normalized = true
      case .first: normalized = hidden == 0
      case .second: normalized = hidden == 1
      }
      if normalized && config.norm == .weight {
        layers.append(WeightNormDense(inputs: inputs, outputs: w, rng: &rng))
      } else {
        layers.append(Dense(inputs: inputs, outputs: w, rng: &rng))
      }
      if normalized {
        switch config.norm {
        case .batch: layers.append(BatchNorm(width: w, momentum: config.momentum, epsilon: config.epsilon))
        case .layer: layers.append(LayerNorm(width: w, epsilon: config.epsilon))
        case .group: layers.append(GroupNorm(width: w, groups: config.groups, epsilon: config.epsilon))
        case .none, .weight: break
        }
      }
      layers.append(LeakyReLU(width: w, slope: config.leakySlope))
    }
    layers.append(Dense(inputs: w, outputs: 1, rng: &rng))
    return Sequential(layers)
  }
}
