/// What follows a fused ``HiddenBlock``'s linear map: one normalization kernel
/// (none, batch, group/layer), which also applies the LeakyReLU. Each kernel lives
/// in its own file and is chosen by ``ExperimentConfig/Norm/fusedKernel(_:capacity:parameters:)``.
///
/// A kernel reads the block's pre-activations (``HiddenBlock/pre``), writes its
/// output (``HiddenBlock/out``) and, backward, dL/d(pre) (``HiddenBlock/gradPre``),
/// adding each row's bias and inner-dimension-2 kernel gradients with
/// ``HiddenBlock/accumulateRow(_:_:_:)`` inside the pass that writes the row.
///
/// A kernel may also run its first pass row by row as a product finishes the rows:
/// forward on the linear map's rows, backward on the rows of dL/d(output) the block
/// above writes. Both give the same bits as the separate pass (the same operations, on
/// each column's rows in the same order); what they save is reading the rows back from
/// beyond the level-1 cache.
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

  // Row by row, while a product finishes the rows (see `ProductKernel.multiply`'s
  // `finished`): the same operations in the same order as ``forward`` (its first pass)
  // and ``backward`` (all of it), run on rows while they are still in the level-1 cache
  // instead of in a later pass.

  /// Prepares a forward pass over rows `0..<rows` whose first pass runs on rows of `pre`
  /// as the linear map finishes them (``forwardRows(_:_:biasPending:)``, then
  /// ``finishForward(_:rows:)``); false when this kernel has no such pass in `mode`.
  func beginForward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>]) -> Bool

  /// Where the linear map writes its rows for ``forwardRows(_:_:biasPending:)``
  /// (``HiddenBlock/pre`` unless the kernel says otherwise).
  func linearTarget(_ block: HiddenBlock) -> UnsafeMutablePointer<Float>

  /// The forward pass' first pass on the finished rows `rows` (ascending ranges
  /// covering the forward pass' rows once).
  func forwardRows(_ block: HiddenBlock, _ rows: Range<Int>, biasPending: Bool)

  /// The rest of a forward pass begun with ``beginForward(_:rows:mode:segments:)``.
  func finishForward(_ block: HiddenBlock, rows: Int)

  /// Prepares a backward pass that runs whole on rows of dL/d(output) as the product
  /// above writes them into `gradPre` (``backwardRows(_:_:input:parameterGradients:)``);
  /// false when this kernel has no such pass.
  func beginBackward(_ block: HiddenBlock, rows: Int, parameterGradients: Bool) -> Bool

  /// The backward pass on the finished rows `rows` of `gradPre`, in place.
  func backwardRows(_ block: HiddenBlock, _ rows: Range<Int>, input: UnsafePointer<Float>, parameterGradients: Bool)
}

extension FusedNormalization {
  var batchNorm: FusedBatchNorm? { nil }

  func beginForward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>]) -> Bool { false }
  func linearTarget(_ block: HiddenBlock) -> UnsafeMutablePointer<Float> { block.pre.base }
  func forwardRows(_ block: HiddenBlock, _ rows: Range<Int>, biasPending: Bool) {
    preconditionFailure("\(Self.self) has no row-by-row forward pass")
  }
  func finishForward(_ block: HiddenBlock, rows: Int) {}

  func beginBackward(_ block: HiddenBlock, rows: Int, parameterGradients: Bool) -> Bool { false }
  func backwardRows(_ block: HiddenBlock, _ rows: Range<Int>, input: UnsafePointer<Float>, parameterGradients: Bool) {
    preconditionFailure("\(Self.self) has no row-by-row backward pass")
  }
}
