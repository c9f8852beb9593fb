/// The last, narrow `Dense` layer of the training step's networks (width → q, q = 1
/// for D's logit, 2 for G's points) on preallocated buffers. Its input gradient is
/// never stored: the hidden block below reads it row by row as
/// ``HiddenBlock/Upstream/lowRank(_:q:_:)`` from ``transposedWeight``.
final class OutputLayer {
  let inputs: Int
  let outputs: Int
  /// How the products are computed.
  let kernel: ProductKernel
  let weight: ParameterTensor
  let bias: ParameterTensor
  /// Wᵀ (outputs × inputs), refreshed by ``prepareStep()``.
  let transposedWeight: FloatBuffer
  /// x·W + b, capacity × outputs.
  let out: FloatBuffer
  var tensors: [ParameterTensor] { [weight, bias] }
  /// Times the layer's products when set (``ProductClock``; benchmarks only).
  var productClock: ProductClock?

  /// An inputs → outputs layer for `capacity` rows, kernel and bias from `parameters`.
  init(inputs: Int, outputs: Int, kernel: ProductKernel, capacity: Int, parameters: inout InitialParameters) {
    self.inputs = inputs
    self.outputs = outputs
    self.kernel = kernel
    weight = ParameterTensor(parameters.next(count: inputs * outputs, "output kernel"))
    bias = ParameterTensor(parameters.next(count: outputs, "output bias"))
    transposedWeight = FloatBuffer(count: inputs * outputs)
    out = FloatBuffer(count: capacity * outputs)
    prepareStep()
  }

  /// Refreshes ``transposedWeight`` (after each update).
  func prepareStep() {
    let w = weight.value.base
    let t = transposedWeight.base
    for i in 0..<inputs {
      for j in 0..<outputs { t[j &* inputs &+ i] = w[i &* outputs &+ j] }
    }
  }

  /// out = x·W + b for `rows` rows (one product, then the bias).
  func forward(_ input: UnsafePointer<Float>, rows: Int) {
    let q = outputs
    kernel.multiply(m: rows, n: q, k: inputs, input, lda: inputs, weight.value.base, ldb: q, into: out.base, ldc: q,
      clock: productClock)
    let b = bias.value.base
    var y = out.base
    for _ in 0..<rows {
      for j in 0..<q { y[j] += b[j] }
      y += q
    }
  }

  /// dW += xᵀ·dy (one product) and db += column sums of dy (rows top to bottom).
  func accumulateGradients(_ gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int) {
    let q = outputs
    kernel.multiply(
      m: inputs, n: q, k: rows, input, lda: inputs, transposeA: true, gradOutput, ldb: q,
      into: weight.gradient.base, ldc: q, accumulate: true, clock: productClock)
    let db = bias.gradient.base
    var dy = gradOutput
    for _ in 0..<rows {
      for j in 0..<q { db[j] += dy[j] }
      dy += q
    }
  }

  /// The layer as a ``Dense`` with the current parameters.
  var dense: Dense {
    Dense(weight: Matrix(rows: inputs, cols: outputs, values: weight.value.array), bias: bias.value.array)
  }
}
