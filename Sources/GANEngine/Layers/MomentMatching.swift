/// The moment-matching output stage of G: each coordinate of the batch is
/// standardized with the batch's own mean and biased variance (`tf.nn.moments`),
/// then rescaled to a target mean and standard deviation:
/// y = (x − μ)/sqrt(σ² + ε)·sd + mean. Gradients flow through μ and σ². No
/// trainable parameters, no moving statistics; both modes are equal.
///
/// ε defaults to 1e-6: small enough to leave a standardized batch's variance at 1
/// to float precision, large enough to keep a collapsed batch finite.
struct MomentMatching: Layer {
  /// Target mean per coordinate.
  let targetMean: [Float]
  /// Target standard deviation per coordinate.
  let targetStd: [Float]
  /// Added to the variance before the square root.
  let epsilon: Float

  private var core: BatchNorm

  var inputWidth: Int { targetMean.count }
  var outputWidth: Int { targetMean.count }

  /// A stage that maps each batch to the given per-coordinate mean and sd.
  init(targetMean: [Float], targetStd: [Float], epsilon: Float = 1e-6) {
    precondition(targetMean.count == targetStd.count && !targetMean.isEmpty,
                 "MomentMatching: mean and sd need the same, non-zero number of entries")
    self.targetMean = targetMean
    self.targetStd = targetStd
    self.epsilon = epsilon
    // A BatchNorm in training mode with γ = sd, β = mean is exactly this map; its
    // moving statistics are never read.
    core = BatchNorm(width: targetMean.count, momentum: 0, epsilon: epsilon)
    core.gamma = targetStd
    core.beta = targetMean
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    core.forward(input, mode: .training)
  }

  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    core.backward(gradOutput, input: input, parameterGradients: false)
  }

  mutating func zeroGradients() {}
  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {}
}
