/// Layer normalization, as Keras' `LayerNormalization` on the feature axis: each row
/// is normalized with its own mean and biased variance, then scaled and shifted per
/// feature. Computed as a ``GroupNorm`` with a single group (the same formula).
public struct LayerNorm: Layer {
  private var core: GroupNorm

  /// Number of features.
  public var width: Int { core.width }
  /// Added to the variance before the square root.
  public var epsilon: Float {
    get { core.epsilon }
    set { core.epsilon = newValue }
  }
  /// Scale γ per feature (initially 1).
  public var gamma: [Float] {
    get { core.gamma }
    set { core.gamma = newValue }
  }
  /// Offset β per feature (initially 0).
  public var beta: [Float] {
    get { core.beta }
    set { core.beta = newValue }
  }
  /// Accumulated dL/dγ.
  public var gradGamma: [Float] { core.gradGamma }
  /// Accumulated dL/dβ.
  public var gradBeta: [Float] { core.gradBeta }

  public var inputWidth: Int { core.width }
  public var outputWidth: Int { core.width }

  /// A layer with γ = 1, β = 0.
  public init(width: Int, epsilon: Float = 1e-3) {
    core = GroupNorm(width: width, groups: 1, epsilon: epsilon)
  }

  public mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    core.forward(input, mode: mode)
  }

  public mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    core.backward(gradOutput, input: input, parameterGradients: parameterGradients)
  }

  public mutating func zeroGradients() { core.zeroGradients() }

  public mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {
    core.visitParameters(body)
  }
}
