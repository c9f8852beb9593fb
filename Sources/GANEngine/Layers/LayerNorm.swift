/// Layer normalization, as Keras' `LayerNormalization` on the feature axis: each row
/// is normalized with its own mean and biased variance, then scaled and shifted per
/// feature. Computed as a ``GroupNorm`` with a single group (the same formula).
struct LayerNorm: Layer {
  private var core: GroupNorm

  /// Number of features.
  var width: Int { core.width }
  /// Added to the variance before the square root.
  var epsilon: Float {
    get { core.epsilon }
    set { core.epsilon = newValue }
  }
  /// Scale γ per feature (initially 1).
  var gamma: [Float] {
    get { core.gamma }
    set { core.gamma = newValue }
  }
  /// Offset β per feature (initially 0).
  var beta: [Float] {
    get { core.beta }
    set { core.beta = newValue }
  }
  /// Accumulated dL/dγ.
  var gradGamma: [Float] { core.gradGamma }
  /// Accumulated dL/dβ.
  var gradBeta: [Float] { core.gradBeta }

  var inputWidth: Int { core.width }
  var outputWidth: Int { core.width }

  /// A layer with γ = 1, β = 0.
  init(width: Int, epsilon: Float = 1e-3) {
    core = GroupNorm(width: width, groups: 1, epsilon: epsilon)
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    core.forward(input, mode: mode)
  }

  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    core.backward(gradOutput, input: input, parameterGradients: parameterGradients)
  }

  mutating func zeroGradients() { core.zeroGradients() }

  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {
    core.visitParameters(body)
  }
}
