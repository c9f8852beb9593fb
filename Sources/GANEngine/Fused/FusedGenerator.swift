/// The study's generator for the training step: plain hidden blocks, the
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

  /// G of shape `spec` for batches of `rows` rows, starting from `parameters`;
  /// moment matching (when the spec has it) rescales to `realMoments`.
  init(
    _ spec: NetworkSpec, rows: Int, parameters: InitialParameters,
    realMoments: (mean: [Float], std: [Float])
  ) {
    precondition(spec.outputs == 2 && spec.hidden.first?.inputs == 2, "FusedGenerator: layout")
    self.rows = rows
    (blocks, output) = Self.build(spec, capacity: rows, parameters: parameters)
    if spec.momentMatching {
      momentMatching = MomentMatching(targetMean: realMoments.mean, targetStd: realMoments.std)
    }
    tensors = blocks.flatMap(\.tensors) + output.tensors
    noise = FloatBuffer(count: rows * 2)
    fake = FloatBuffer(count: rows * 2)
    gradFake = FloatBuffer(count: rows * 2)
    gradOutput = FloatBuffer(count: rows * 2)
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
      // dL/d(output) of the block below goes into that block's own output buffer
      // (see ``HiddenBlock/gradPre``), after this block's dL/dW product has read it.
      let target = i == 0 ? nil : blocks[i - 1].gradPre.base
      // The block below starts its own backward pass on the rows as they are written.
      let next = i == 0 ? nil : (
        block: blocks[i - 1], input: i == 1 ? UnsafePointer(noise.base) : UnsafePointer(blocks[i - 2].out.base),
        parameterGradients: true)
      let rowsDone = blocks[i].backward(
        upstream, rows: rows, input: below, parameterGradients: true,
        inputGradient: target, inputGradientRows: i == 0 ? 0 : rows, below: next)
      if let target { upstream = rowsDone ? .rowsDone : .dense(UnsafePointer(target)) }
    }
  }

  /// The network as separate layers with the current parameters.
  var sequential: Sequential {
    var layers = blocks.flatMap { $0.layers() } + [output.dense as any Layer]
    if let momentMatching { layers.append(momentMatching) }
    return Sequential(layers)
  }
}
