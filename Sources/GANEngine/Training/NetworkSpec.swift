/// The shape of G or D for one ``ExperimentConfig``: hidden layers (linear map,
/// optional normalization, LeakyReLU), the output width, and whether G ends in
/// ``MomentMatching``. Both the readable reference network (``Networks``) and the
/// fused networks of the training step (``FusedGenerator``, ``FusedDiscriminator``)
/// are built from it, so the two cannot disagree about the architecture.
struct NetworkSpec: Hashable {
  /// The hidden layers, input side first.
  var hidden: [HiddenLayerSpec]
  /// Width of the final linear layer (2 for G's points, 1 for D's logit).
  var outputs: Int
  /// Whether G's output is standardized and rescaled to the real moments.
  var momentMatching: Bool
  /// How the products are computed.
  var kernel: ProductKernel

  /// G: 2 → w → w → 2, no normalization, moment matching as configured.
  static func generator(_ config: ExperimentConfig) -> NetworkSpec {
    NetworkSpec(
      hidden: [0, 1].map { HiddenLayerSpec(config, inputs: $0 == 0 ? 2 : config.width, norm: .none) },
      outputs: 2, momentMatching: config.momentMatch, kernel: config.kernel)
  }

  /// D: 2 → w → w → 1, with `config.norm` in the hidden layers `config.normLayers` selects.
  static func discriminator(_ config: ExperimentConfig) -> NetworkSpec {
    let hidden = [0, 1].map { layer -> HiddenLayerSpec in
      let normalized: Bool
      switch config.normLayers {
      case .both: normalized = true
      case .first: normalized = layer == 0
      case .second: normalized = layer == 1
      }
      return HiddenLayerSpec(config, inputs: layer == 0 ? 2 : config.width, norm: normalized ? config.norm : .none)
    }
    return NetworkSpec(hidden: hidden, outputs: 1, momentMatching: false, kernel: config.kernel)
  }
}

/// One hidden layer: `inputs` → `width` linear map, normalization `norm` (`.none`
/// for a plain layer) with its settings, LeakyReLU of slope `slope`.
struct HiddenLayerSpec: Hashable {
  var inputs: Int
  var width: Int
  var norm: ExperimentConfig.Norm
  var slope: Float
  /// BatchNorm momentum of the moving statistics.
  var momentum: Float
  /// BN/LN/GN ε.
  var epsilon: Float
  /// GroupNorm groups.
  var groups: Int
  /// How the linear map's products are computed.
  var kernel: ProductKernel

  /// A layer of `config`'s width with its normalization settings.
  init(_ config: ExperimentConfig, inputs: Int, norm: ExperimentConfig.Norm) {
    self.inputs = inputs
    width = config.width
    self.norm = norm
    slope = config.leakySlope
    momentum = config.momentum
    epsilon = config.epsilon
    groups = config.groups
    kernel = config.kernel
  }
}

/// The initial parameter values of a reference network, tensor by tensor in
/// ``Sequential``'s visiting order, handed out to the fused blocks that take them in
/// the same order.
struct InitialParameters {
  private var tensors: [[Float]] = []
  private var position = 0

  /// The trainable tensors of `network`.
  init(_ network: Sequential) {
    var copy = network
    var tensors: [[Float]] = []
    copy.visitParameters { value, _ in tensors.append(value) }
    self.tensors = tensors
  }

  /// The next tensor, which must hold `count` values (`what` names it in the error).
  mutating func next(count: Int, _ what: String) -> [Float] {
    precondition(position < tensors.count, "InitialParameters: no tensor left for the \(what)")
    let tensor = tensors[position]
    precondition(tensor.count == count, "InitialParameters: the \(what) needs \(count) values, got \(tensor.count)")
    position += 1
    return tensor
  }

  /// Checks that every tensor was taken.
  func finish() {
    precondition(position == tensors.count, "InitialParameters: \(tensors.count - position) tensors left over")
  }
}
