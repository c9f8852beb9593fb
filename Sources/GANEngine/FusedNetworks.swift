/// What the fused generator and discriminator share: hidden blocks, then an output
/// layer, and the step bookkeeping over both.
protocol FusedNetwork: AnyObject {
  var blocks: [HiddenBlock] { get }
  var output: OutputLayer { get }
}

extension FusedNetwork {
  /// Refreshes derived kernels after an update; call before each step.
  func prepareStep() {
    for b in blocks { b.prepareStep() }
    output.prepareStep()
  }

  func zeroGradients() {
    for b in blocks { b.zeroGradients() }
    for t in output.tensors { t.gradient.zero() }
  }

  /// Completes the step's parameter gradients (weight normalization); call once
  /// after the last backward pass of the step.
  func finishGradients() {
    for b in blocks { b.finishGradients() }
  }
}

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
  /// dL/d(output) of each block but the last, written by the block above it.
  private let gradHidden: [FloatBuffer]
  /// Index of the first block with BatchNorm (the probe), if any.
  let probeBlock: Int?

  /// The logits of the last forward pass.
  var logits: UnsafeMutablePointer<Float> { output.out.base }

  init(_ network: Sequential, capacity: Int) {
    self.capacity = capacity
    let parsed = Self.parse(network.layers, capacity: capacity)
    blocks = parsed.blocks
    output = parsed.output
    precondition(output.outputs == 1 && blocks.first?.inputs == 2, "FusedDiscriminator: layout")
    tensors = blocks.flatMap(\.tensors) + output.tensors
    input = FloatBuffer(count: capacity * 2)
    gradLogits = FloatBuffer(count: capacity)
    gradInput = FloatBuffer(count: capacity * 2)
    gradHidden = blocks.dropFirst().map { FloatBuffer(count: capacity * $0.inputs) }
    probeBlock = blocks.firstIndex { $0.normalization == .batch }
  }

  /// Splits `Dense/WeightNormDense → [norm] → LeakyReLU` groups into blocks and the
  /// final `Dense` into the output layer.
  static func parse(_ layers: [any Layer], capacity: Int) -> (blocks: [HiddenBlock], output: OutputLayer) {
    var blocks: [HiddenBlock] = []
    var pending: [any Layer] = []
    for layer in layers.dropLast() {
      guard let relu = layer as? LeakyReLU else {
        pending.append(layer)
        continue
      }
      precondition(pending.count == 1 || pending.count == 2, "Fused network: unexpected layer group")
      let norm = pending.count == 2 ? pending[1] : nil
      let normalization: HiddenBlock.Normalization
      switch norm {
      case nil: normalization = .none
      case is BatchNorm: normalization = .batch
      case is LayerNorm: normalization = .group(1)
      case let gn as GroupNorm: normalization = .group(gn.groups)
      default: preconditionFailure("Fused network: unsupported normalization")
      }
      blocks.append(HiddenBlock(
        inputs: pending[0].inputWidth, width: relu.width, capacity: capacity, slope: relu.slope,
        normalization: normalization, linear: pending[0], norm: norm))
      pending = []
    }
    guard pending.isEmpty, let last = layers.last as? Dense else {
      preconditionFailure("Fused network: must end with LeakyReLU → Dense")
    }
    return (blocks, OutputLayer(last, capacity: capacity))
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
    for b in blocks where b.normalization == .batch {
      for s in order { b.applyMovingUpdate(segment: s) }
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
      let target = i == 0 ? gradInput.base : gradHidden[i - 1].base
      blocks[i].backward(
        upstream, rows: rows, input: below, parameterGradients: parameterGradients,
        inputGradient: target, inputGradientRows: i == 0 ? inputGradientRows : rows)
      upstream = .dense(UnsafePointer(target))
    }
  }

  /// The network as separate layers with the current parameters and moving statistics.
  var sequential: Sequential {
    Sequential(blocks.flatMap { $0.layers() } + [output.dense])
  }
}

/// The study's generator for the training step: two plain hidden blocks, the
/// two-coordinate ``OutputLayer`` and, optionally, the ``MomentMatching`` stage.
final class FusedGenerator: FusedNetwork {
  let blocks: [HiddenBlock]
  let output: OutputLayer
  private var momentMatching: MomentMatching?
  let rows: Int
  let tensors: [ParameterTensor]
  /// The noise of the step, rows × 2.
  let noise: FloatBuffer
  /// G(noise), rows × 2.
  let fake: FloatBuffer
  /// dL/d(fake), rows × 2, filled by the caller before ``backward()``.
  let gradFake: FloatBuffer
  private let gradOutput: FloatBuffer
  private let gradHidden: [FloatBuffer]

  init(_ network: Sequential, rows: Int) {
    self.rows = rows
    var layers = network.layers
    if let mm = layers.last as? MomentMatching {
      momentMatching = mm
      layers.removeLast()
    }
    let parsed = FusedDiscriminator.parse(layers, capacity: rows)
    blocks = parsed.blocks
    output = parsed.output
    precondition(output.outputs == 2 && blocks.first?.inputs == 2, "FusedGenerator: layout")
    tensors = blocks.flatMap(\.tensors) + output.tensors
    noise = FloatBuffer(count: rows * 2)
    fake = FloatBuffer(count: rows * 2)
    gradFake = FloatBuffer(count: rows * 2)
    gradOutput = FloatBuffer(count: rows * 2)
    gradHidden = blocks.dropFirst().map { FloatBuffer(count: rows * $0.inputs) }
  }

  /// fake = G(noise) in training mode.
  func forward() {
    var x = UnsafePointer(noise.base)
    for b in blocks {
      b.forward(x, rows: rows, mode: .training, segments: [], linearReady: false)
      x = UnsafePointer(b.out.base)
    }
    output.forward(x, rows: rows)
    if let y = momentMatching?.forward(Matrix(rows: rows, cols: 2, values: output.out.array), mode: .training) {
      fake.copy(from: y.values)
    } else {
      fake.base.update(from: output.out.base, count: rows * 2)
    }
  }

  /// Adds dL/dθ for dL/d(fake) = ``gradFake`` to the gradients.
  func backward() {
    var d = UnsafePointer(gradFake.base)
    if momentMatching != nil,
      let g = momentMatching?.backward(
        Matrix(rows: rows, cols: 2, values: gradFake.array),
        input: Matrix(rows: rows, cols: 2, values: output.out.array), parameterGradients: false)
    {
      gradOutput.copy(from: g.values)
      d = UnsafePointer(gradOutput.base)
    }
    let top = blocks.count - 1
    output.accumulateGradients(d, input: blocks[top].out.base, rows: rows)
    var upstream = HiddenBlock.Upstream.lowRank(d, q: 2, UnsafePointer(output.transposedWeight.base))
    for i in stride(from: top, through: 0, by: -1) {
      let below = i == 0 ? UnsafePointer(noise.base) : UnsafePointer(blocks[i - 1].out.base)
      let target = i == 0 ? nil : gradHidden[i - 1].base
      blocks[i].backward(
        upstream, rows: rows, input: below, parameterGradients: true,
        inputGradient: target, inputGradientRows: i == 0 ? 0 : rows)
      if let target { upstream = .dense(UnsafePointer(target)) }
    }
  }

  /// The network as separate layers with the current parameters.
  var sequential: Sequential {
    var layers = blocks.flatMap { $0.layers() } + [output.dense as any Layer]
    if let momentMatching { layers.append(momentMatching) }
    return Sequential(layers)
  }
}
