/// The study's discriminator for the training step: hidden blocks (``HiddenBlock``)
/// and a one-logit ``OutputLayer`` on preallocated buffers for up to `capacity` rows.
///
/// The input buffer holds the stacked batch: fakes in rows `0..<n`, the real
/// population in rows `n..<2n`. The first block's linear map does not depend on the
/// mode or on the other rows, so it is computed once per step
/// (``computeFirstLinear(rows:)``) and shared by every pass of the step.
final class FusedDiscriminator: FusedNetwork {
  let blocks: [HiddenBlock]
  let output: OutputLayer
  let capacity: Int
  /// Trainable tensors in ``Sequential``'s visiting order.
  let tensors: [ParameterTensor]
  /// D's input rows (2 columns).
  let input: FloatBuffer
  /// dL/d(logit) for the next backward pass.
  let gradLogits: FloatBuffer
  /// dL/d(input) of the last backward pass (rows requested there).
  let gradInput: FloatBuffer
  /// The blocks' BatchNorm kernels, first to last.
  let batchNorms: [FusedBatchNorm]
  /// The first BatchNorm (the probe), if any.
  var probe: FusedBatchNorm? { batchNorms.first }

  /// The logits of the last forward pass.
  var logits: UnsafeMutablePointer<Float> { output.out.base }

  /// D of shape `spec` for up to `capacity` rows, starting from `parameters`.
  init(_ spec: NetworkSpec, capacity: Int, parameters: InitialParameters) {
    precondition(spec.outputs == 1 && spec.hidden.first?.inputs == 2, "FusedDiscriminator: layout")
    self.capacity = capacity
    (blocks, output) = Self.build(spec, capacity: capacity, parameters: parameters)
    tensors = blocks.flatMap(\.tensors) + output.tensors
    input = FloatBuffer(count: capacity * 2)
    gradLogits = FloatBuffer(count: capacity)
    gradInput = FloatBuffer(count: capacity * 2)
    batchNorms = blocks.compactMap(\.normalization.batchNorm)
  }

  /// The first block's x·W + b for `rows` input rows (the same in every pass).
  func computeFirstLinear(rows: Int) {
    _ = blocks[0].linear(input.base, rows: rows)
  }

  /// Forward pass over rows `0..<rows` (after ``computeFirstLinear(rows:)`` covered
  /// them); logits in ``logits``. BatchNorm training mode: one set of statistics per
  /// segment, moving statistics untouched (see ``applyMovingUpdates(_:)``).
  func forward(rows: Int, mode: Mode, segments: [Range<Int>]) {
    var x = UnsafePointer(input.base)
    for (i, b) in blocks.enumerated() {
      b.forward(x, rows: rows, mode: mode, segments: segments, linearReady: i == 0)
      x = UnsafePointer(b.out.base)
    }
    output.forward(x, rows: rows)
  }

  /// Applies the last training forward pass' segment statistics to every BatchNorm's
  /// moving statistics, segment by segment in `order`.
  func applyMovingUpdates(_ order: [Int]) {
    for bn in batchNorms {
      for s in order { bn.applyMovingUpdate(segment: s) }
    }
  }

  /// Backward pass of the last forward (rows `0..<rows`) from ``gradLogits``; with
  /// `parameterGradients` adds dL/dθ to the gradients; dL/d(input) of rows
  /// `0..<inputGradientRows` goes to ``gradInput``.
  func backward(rows: Int, parameterGradients: Bool, inputGradientRows: Int) {
    let top = blocks.count - 1
    if parameterGradients {
      output.accumulateGradients(gradLogits.base, input: blocks[top].out.base, rows: rows)
    }
    var upstream = HiddenBlock.Upstream.lowRank(
      UnsafePointer(gradLogits.base), q: 1, UnsafePointer(output.transposedWeight.base))
    for i in stride(from: top, through: 0, by: -1) {
      let below = i == 0 ? UnsafePointer(input.base) : UnsafePointer(blocks[i - 1].out.base)
      // dL/d(output) of the block below goes into that block's own output buffer
      // (see ``HiddenBlock/gradPre``), after this block's dL/dW product has read it.
      let target = i == 0 ? gradInput.base : blocks[i - 1].gradPre.base
      // The block below starts its own backward pass on the rows as they are written.
      let next = i == 0 ? nil : (
        block: blocks[i - 1], input: i == 1 ? UnsafePointer(input.base) : UnsafePointer(blocks[i - 2].out.base),
        parameterGradients: parameterGradients)
      let rowsDone = blocks[i].backward(
        upstream, rows: rows, input: below, parameterGradients: parameterGradients,
        inputGradient: target, inputGradientRows: i == 0 ? inputGradientRows : rows, below: next)
      upstream = rowsDone ? .rowsDone : .dense(UnsafePointer(target))
    }
  }

  /// The network as separate layers with the current parameters and moving statistics.
  var sequential: Sequential {
    Sequential(blocks.flatMap { $0.layers() } + [output.dense])
  }
}
