/// What follows a fused ``HiddenBlock``'s linear map: one normalization kernel
/// (none, batch, group/layer), which also applies the LeakyReLU. Each kernel lives
/// in its own file and is chosen by ``ExperimentConfig/Norm/fusedKernel(_:capacity:parameters:)``.
///
/// A kernel reads the block's pre-activations (``HiddenBlock/pre``), writes its
/// output (``HiddenBlock/out``) and, backward, dL/d(pre) (``HiddenBlock/gradPre``),
/// adding each row's bias and inner-dimension-2 kernel gradients with
/// ``HiddenBlock/accumulateRow(_:_:_:)`` inside the pass that writes the row.
protocol FusedNormalization: AnyObject {
  /// Trainable tensors (γ, β), in ``Sequential``'s visiting order.
  var tensors: [ParameterTensor] { get }

  /// Normalizes and activates the rows `0..<rows` of `block.pre` into `block.out`,
  /// adding the block's bias to `pre` first when `biasPending`. BatchNorm in training
  /// mode uses one set of statistics per segment (the segments cover the rows).
  func forward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>], biasPending: Bool)

  /// Fills `block.gradPre` for the last forward pass; with `parameterGradients`,
  /// adds dL/dγ, dL/dβ and each row's bias (and inner-dimension-2 kernel) gradient.
  func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, rows: Int, input: UnsafePointer<Float>,
    parameterGradients: Bool)

  /// The normalization as a separate reference layer with the current values (nil:
  /// none).
  func layer() -> (any Layer)?

  /// The kernel as BatchNorm, whose moving statistics the step updates and probes
  /// (nil for the others).
  var batchNorm: FusedBatchNorm? { get }
}

extension FusedNormalization {
  var batchNorm: FusedBatchNorm? { nil }
}
