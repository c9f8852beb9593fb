/// Builds the study's G and D as readable reference networks (``Sequential``) from
/// their ``NetworkSpec``, drawing the initial kernels from the initialization stream
/// in layer order:
///
/// - G: Dense(w) → LeakyReLU → Dense(w) → LeakyReLU → Dense(2)
///   [→ MomentMatching to the real population's mean and sd];
/// - D: Dense(w) → [norm] → LeakyReLU → Dense(w) → [norm] → LeakyReLU → Dense(1),
///   where batch/layer/group normalization is a layer after the Dense of each
///   selected hidden layer and weight normalization replaces that Dense by
///   ``WeightNormDense`` (the output layer stays a plain Dense).
enum Networks {
  /// The layers of `spec`; `realMoments` are the targets of moment matching.
  static func sequential(
    _ spec: NetworkSpec, realMoments: (mean: [Float], std: [Float])?, rng: inout RandomStream
  ) -> Sequential {
    var layers: [any Layer] = []
    for layer in spec.hidden {
      if layer.norm.reparametrizesKernel {
        layers.append(WeightNormDense(inputs: layer.inputs, outputs: layer.width, rng: &rng))
      } else {
        layers.append(Dense(inputs: layer.inputs, outputs: layer.width, rng: &rng))
      }
      if let norm = layer.norm.referenceLayer(layer) { layers.append(norm) }
      layers.append(LeakyReLU(width: layer.width, slope: layer.slope))
    }
    layers.append(Dense(inputs: spec.hidden.last?.width ?? 2, outputs: spec.outputs, rng: &rng))
    if spec.momentMatching {
      guard let realMoments else { preconditionFailure("Networks: moment matching needs the real moments") }
      layers.append(MomentMatching(targetMean: realMoments.mean, targetStd: realMoments.std))
    }
    return Sequential(layers)
  }
}
