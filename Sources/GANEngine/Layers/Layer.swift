/// One layer of a ``Sequential`` network, with a forward and a backward pass.
///
/// The contract, for every layer:
/// - `forward(x, mode:)` computes the output for a batch `x` (rows are samples) and
///   keeps what the backward pass needs. It is `mutating` because layers reuse their
///   buffers, and because BatchNorm updates its moving statistics in `.training` mode.
/// - `backward(dy, input: x, parameterGradients:)` must follow the `forward` call
///   for the same `x`; it returns dL/dx for the upstream gradient `dy` = dL/dy and,
///   when `parameterGradients` is true, *adds* dL/dθ to the layer's accumulated
///   parameter gradients (so two forward/backward pairs sum their gradients, as one
///   loss over both batches would).
/// - `zeroGradients()` clears the accumulated gradients.
/// - `visitParameters` hands each trainable tensor with its accumulated gradient to
///   an optimizer, always in the same order.
///
/// ```swift
/// var dense = Dense(inputs: 2, outputs: 3, rng: &rng)
/// let y = dense.forward(x, mode: .training)
/// let dx = dense.backward(dy, input: x)       // dense.gradWeight now holds xᵀ·dy
/// ```
protocol Layer: Sendable {
  /// Number of input features.
  var inputWidth: Int { get }
  /// Number of output features.
  var outputWidth: Int { get }
  /// The forward pass for a batch.
  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix
  /// The backward pass for the most recent `forward`, which received `input`.
  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix
  /// Sets the accumulated parameter gradients to zero.
  mutating func zeroGradients()
  /// Calls `body(parameter, gradient)` for every trainable tensor, in a fixed order.
  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void)
}

extension Layer {
  /// The backward pass, accumulating parameter gradients.
  mutating func backward(_ gradOutput: Matrix, input: Matrix) -> Matrix {
    backward(gradOutput, input: input, parameterGradients: true)
  }
}
