extension ExperimentConfig {
  /// The normalization in D's hidden layers.
  public enum Norm: String, Codable, CaseIterable, Sendable {
    case none, batch, layer, group, weight
  }
}

/// How each normalization is built, in both of the engine's forms: the readable
/// reference layer (in `Layers/`) and the fused kernel of the training step (in
/// `Fused/`). A new normalization is a case above, one arm in each switch below,
/// its reference layer and its kernel.
extension ExperimentConfig.Norm {
  /// Whether the normalization reparametrizes the linear map's kernel (weight
  /// normalization) instead of following the linear map.
  var reparametrizesKernel: Bool { self == .weight }

  /// The reference layer that follows the linear map of `layer`, or nil.
  func referenceLayer(_ layer: HiddenLayerSpec) -> (any Layer)? {
    switch self {
    case .batch: return BatchNorm(width: layer.width, momentum: layer.momentum, epsilon: layer.epsilon)
    case .layer: return LayerNorm(width: layer.width, epsilon: layer.epsilon)
    case .group: return GroupNorm(width: layer.width, groups: layer.groups, epsilon: layer.epsilon)
    case .none, .weight: return nil
    }
  }

  /// The fused kernel (normalization and LeakyReLU) of `layer` for `capacity` rows,
  /// taking its initial γ and β from `parameters`.
  func fusedKernel(_ layer: HiddenLayerSpec, capacity: Int, parameters: inout InitialParameters)
    -> any FusedNormalization
  {
    switch self {
    case .batch: return FusedBatchNorm(layer, parameters: &parameters)
    case .layer: return FusedGroupNorm(layer, layerNorm: true, capacity: capacity, parameters: &parameters)
    case .group: return FusedGroupNorm(layer, layerNorm: false, capacity: capacity, parameters: &parameters)
    case .none, .weight: return FusedActivation(layer, capacity: capacity)
    }
  }
}
