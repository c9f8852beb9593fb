/// One hidden layer of the training step's networks, fused: linear map (plain or
/// weight-normalized, see `HiddenBlock+WeightNorm.swift`) → the normalization
/// kernel of its ``HiddenLayerSpec`` (a ``FusedNormalization``) → LeakyReLU, on
/// buffers preallocated for `capacity` rows.
///
/// The arithmetic per element is that of the separate layers (``Dense``,
/// ``WeightNormDense``, the normalization layer, ``LeakyReLU``); what changes is the
/// number of passes over memory: the bias is added in the normalization's first
/// pass, and normalization and activation write the output in one pass. The
/// backward pass recomputes the normalized values from the stored pre-activations
/// instead of storing them. Column reductions accumulate rows into a per-feature
/// vector, top to bottom: a fixed order that vectorizes.
final class HiddenBlock {
  /// Where dL/d(output) of ``backward(_:rows:input:parameterGradients:inputGradient:inputGradientRows:)`` comes from.
  enum Upstream {
    /// A rows × width matrix.
    case dense(UnsafePointer<Float>)
    /// d (rows × q) · t (q × width): the next layer's input gradient computed row by
    /// row (t is that layer's kernel, transposed), never stored.
    case lowRank(UnsafePointer<Float>, q: Int, UnsafePointer<Float>)
    /// The normalization's backward pass already ran on the rows as the block above
    /// wrote them (``backward(_:rows:input:parameterGradients:inputGradient:inputGradientRows:below:)``).
    case rowsDone
  }

  let spec: HiddenLayerSpec
  var inputs: Int { spec.inputs }
  let width: Int
  let capacity: Int
  let slope: Float
  let weightNormed: Bool

  /// W (plain) or the direction v (weight normalization).
  let kernel: ParameterTensor
  /// The scale g of weight normalization.
  let scale: ParameterTensor?
  let bias: ParameterTensor
  /// What follows the linear map.
  let normalization: any FusedNormalization
  /// Trainable tensors in ``Sequential``'s visiting order.
  let tensors: [ParameterTensor]

  /// The kernel used in the products: W, or g·v/‖v‖ computed by ``prepareStep()``.
  let weight: FloatBuffer
  /// dL/dW accumulated over the step (the kernel's gradient itself unless weight-normed).
  let gradWeight: FloatBuffer
  /// Weight normalization: ‖v‖ per column, and a per-column scratch vector.
  let norms: FloatBuffer
  let columnScratch: FloatBuffer

  /// Pre-activation x·W + b (before normalization), capacity × width. A block without
  /// normalization keeps it here only when its linear map is computed ahead (D's first
  /// block); otherwise the linear map writes into ``out`` (see ``FusedActivation``).
  let pre: FloatBuffer
  /// The block's output, capacity × width, until the backward pass reuses its storage
  /// (see ``gradPre``).
  let out: FloatBuffer
  /// dL/d(pre) of the last backward pass: the same storage as ``out``.
  ///
  /// One buffer carries, row for row, the block's output, then dL/d(output), then
  /// dL/d(pre). The output's last readers (the next block's forward pass, its dL/dW
  /// product, the output layer's gradient) all run before the block above writes
  /// dL/d(output) here with its input-gradient product, and the normalization's
  /// backward pass turns that into dL/d(pre) in place, reading each element before it
  /// writes it. Two buffers per block instead of four keep a training step's working
  /// set (about 6 MiB instead of 10.5 at the study's size) closer to the caches, which
  /// takes about a tenth off a single BatchNorm run; the arithmetic is the same.
  var gradPre: FloatBuffer { out }
  private let rowScratch: FloatBuffer
  /// Times the block's products when set (``ProductClock``; benchmarks only).
  var productClock: ProductClock?

  /// A block of shape `spec` for up to `capacity` rows, with its initial parameters
  /// taken from `parameters` in ``Sequential``'s visiting order.
  init(_ spec: HiddenLayerSpec, capacity: Int, parameters: inout InitialParameters) {
    self.spec = spec
    let (inputs, width) = (spec.inputs, spec.width)
    self.width = width
    self.capacity = capacity
    slope = spec.slope
    weightNormed = spec.norm.reparametrizesKernel
    kernel = ParameterTensor(parameters.next(count: inputs * width, "hidden kernel"))
    if weightNormed {
      let g = ParameterTensor(parameters.next(count: width, "weight-norm scale"))
      scale = g
      bias = ParameterTensor(parameters.next(count: width, "hidden bias"))
      weight = FloatBuffer(count: inputs * width)
      gradWeight = FloatBuffer(count: inputs * width)
      normalization = spec.norm.fusedKernel(spec, capacity: capacity, parameters: &parameters)
      tensors = [kernel, g, bias] + normalization.tensors
    } else {
      scale = nil
      bias = ParameterTensor(parameters.next(count: width, "hidden bias"))
      weight = kernel.value
      gradWeight = kernel.gradient
      normalization = spec.norm.fusedKernel(spec, capacity: capacity, parameters: &parameters)
      tensors = [kernel, bias] + normalization.tensors
    }
    norms = FloatBuffer(count: width)
    columnScratch = FloatBuffer(count: width)
    pre = FloatBuffer(count: capacity * width)
    out = FloatBuffer(count: capacity * width)
    rowScratch = FloatBuffer(count: width)
    prepareStep()
  }

  /// Sets every accumulated gradient to zero.
  func zeroGradients() {
    for t in tensors { t.gradient.zero() }
    gradWeight.zero()
  }

  // MARK: Forward

  /// x·W + b for `rows` rows of `input` into `target` (``pre`` unless given). Inner
  /// dimension 2 is computed directly (bias included); otherwise one product, and the
  /// bias is added by the next pass (`biasPending`). `finished` is called on ascending
  /// row ranges covering the rows once, each as soon as its rows are final.
  func linear(
    _ input: UnsafePointer<Float>, rows: Int, into target: UnsafeMutablePointer<Float>? = nil,
    finished: ((Range<Int>) -> Void)? = nil
  ) -> Bool {
    precondition(rows <= capacity, "HiddenBlock: \(rows) rows exceed capacity \(capacity)")
    let f = width
    let target = target ?? pre.base
    if inputs == 2 {
      let w0 = weight.base
      let w1 = weight.base + f
      let b = bias.value.base
      let f8 = f - f % 8
      var x = input
      var y = target
      var done = 0
      while done < rows {
        let chunk = done..<min(done + Self.rowsPerChunk, rows)
        for _ in chunk {
          let (x0, x1) = (x[0], x[1])
          var c = 0
          while c < f8 {
            y.store8((x0 * w0.load8(c) + x1 * w1.load8(c)) + b.load8(c), c)
            c &+= 8
          }
          while c < f {
            y[c] = (x0 * w0[c] + x1 * w1[c]) + b[c]
            c &+= 1
          }
          x += 2
          y += f
        }
        finished?(chunk)
        done = chunk.upperBound
      }
      return false
    }
    spec.kernel.multiply(
      m: rows, n: f, k: inputs, input, lda: inputs, weight.base, ldb: f, into: target, ldc: f,
      finished: finished, clock: productClock)
    return true
  }

  /// Rows the inner-dimension-2 linear map computes before handing them on to the
  /// normalization (16 KiB of a 64-wide block: they stay in the level-1 cache).
  static var rowsPerChunk: Int { 64 }

  /// The forward pass for rows `0..<rows`: linear map (unless `linearReady`: ``pre``
  /// already holds it for these rows), then the normalization in `mode` with
  /// LeakyReLU (BatchNorm training: one set of statistics per segment; the segments
  /// must cover the rows). When the normalization can, its first pass runs on the
  /// linear map's rows as they are finished (in the buffer the normalization names: see
  /// ``FusedActivation``).
  func forward(
    _ input: UnsafePointer<Float>, rows: Int, mode: Mode, segments: [Range<Int>], linearReady: Bool
  ) {
    if !linearReady && normalization.beginForward(self, rows: rows, mode: mode, segments: segments) {
      let normalization = normalization
      let biasPending = inputs != 2
      _ = linear(input, rows: rows, into: normalization.linearTarget(self)) {
        normalization.forwardRows(self, $0, biasPending: biasPending)
      }
      normalization.finishForward(self, rows: rows)
      return
    }
    let biasPending = linearReady ? false : linear(input, rows: rows)
    normalization.forward(self, rows: rows, mode: mode, segments: segments, biasPending: biasPending)
  }

  /// Adds the bias to the rows `rows` of ``pre`` (when the linear map left it pending).
  func addBias(rows: Range<Int>) {
    let f = width
    let b = bias.value.base
    let f8 = f - f % 8
    var y = pre.base + rows.lowerBound * f
    for _ in rows {
      var c = 0
      while c < f8 {
        y.store8(y.load8(c) + b.load8(c), c)
        c &+= 8
      }
      while c < f {
        y[c] += b[c]
        c &+= 1
      }
      y += f
    }
  }

  // MARK: Backward

  /// Row `r` of the upstream gradient (computed into a scratch row for `.lowRank`).
  @inline(__always)
  func upstreamRow(_ upstream: Upstream, _ r: Int) -> UnsafePointer<Float> {
    let f = width
    switch upstream {
    case .dense(let p):
      return p + r &* f
    case .rowsDone:
      preconditionFailure("HiddenBlock: no upstream rows after a row-by-row pass")
    case .lowRank(let d, let q, let t):
      let y = rowScratch.base
      let dr = d + r &* q
      let d0 = dr[0]
      let f8 = f - f % 8
      var c = 0
      while c < f8 {
        y.store8(d0 * t.load8(c), c)
        c &+= 8
      }
      while c < f {
        y[c] = d0 * t[c]
        c &+= 1
      }
      if q > 1 {
        for j in 1..<q {
          let dj = dr[j]
          let tj = t + j &* f
          c = 0
          while c < f8 {
            y.store8(y.load8(c) + dj * tj.load8(c), c)
            c &+= 8
          }
          while c < f {
            y[c] += dj * tj[c]
            c &+= 1
          }
        }
      }
      return UnsafePointer(y)
    }
  }

  /// The backward pass for the last forward (same rows): the normalization fills
  /// ``gradPre`` with dL/d(pre); with `parameterGradients`, dL/dθ is added to the
  /// accumulated gradients (dL/dW into ``gradWeight``); with `inputGradient`,
  /// dL/d(input) of the first `inputGradientRows` rows is written there.
  ///
  /// With `below` (the block whose ``gradPre`` is `inputGradient`, with its input and
  /// whether it adds parameter gradients), that block's normalization runs its backward
  /// pass on the rows of dL/d(input) as the product finishes them, when it can; the
  /// result says whether it did, and then that block's backward pass takes `.rowsDone`
  /// as its upstream.
  @discardableResult
  func backward(
    _ upstream: Upstream, rows: Int, input: UnsafePointer<Float>, parameterGradients: Bool,
    inputGradient: UnsafeMutablePointer<Float>?, inputGradientRows: Int,
    below: (block: HiddenBlock, input: UnsafePointer<Float>, parameterGradients: Bool)? = nil
  ) -> Bool {
    let f = width
    if case .rowsDone = upstream {
      // The normalization's backward pass has run (``FusedNormalization/backwardRows``).
    } else {
      normalization.backward(self, upstream, rows: rows, input: input, parameterGradients: parameterGradients)
    }
    if parameterGradients && inputs != 2 {
      spec.kernel.multiply(
        m: inputs, n: f, k: rows, input, lda: inputs, transposeA: true, gradPre.base, ldb: f,
        into: gradWeight.base, ldc: f, accumulate: true, clock: productClock)
    }
    guard let inputGradient, inputGradientRows > 0 else { return false }
    precondition(inputGradientRows <= rows, "HiddenBlock: input gradient rows")
    var fused = false
    var finished: ((Range<Int>) -> Void)? = nil
    if let below {
      precondition(
        below.block.gradPre.base == inputGradient && inputGradientRows == rows,
        "HiddenBlock: the block below takes dL/d(input) of every row in its own buffer")
    }
    if let below,
      below.block.normalization.beginBackward(
        below.block, rows: inputGradientRows, parameterGradients: below.parameterGradients)
    {
      fused = true
      finished = { below.block.normalization.backwardRows(
        below.block, $0, input: below.input, parameterGradients: below.parameterGradients) }
    }
    spec.kernel.multiply(
      m: inputGradientRows, n: inputs, k: f, gradPre.base, lda: f, weight.base, ldb: f, transposeB: true,
      into: inputGradient, ldc: inputs, finished: finished, clock: productClock)
    return fused
  }

  /// Adds row `r` of dL/d(pre) (at `dh`) to the bias gradient and, for inner
  /// dimension 2, its outer product with input row `r` to dL/dW: the parameter
  /// gradients accumulate row by row, top to bottom, inside the pass that writes
  /// the row. (Wider inputs take one product after the pass.)
  @inline(__always)
  func accumulateRow(_ dh: UnsafeMutablePointer<Float>, _ r: Int, _ input: UnsafePointer<Float>) {
    let f = width
    let f8 = f - f % 8
    let db = bias.gradient.base
    var c = 0
    while c < f8 {
      db.store8(db.load8(c) + dh.load8(c), c)
      c &+= 8
    }
    while c < f {
      db[c] += dh[c]
      c &+= 1
    }
    if inputs == 2 {
      let g0 = gradWeight.base
      let g1 = gradWeight.base + f
      let x0 = input[2 &* r]
      let x1 = input[2 &* r &+ 1]
      c = 0
      while c < f8 {
        let d = dh.load8(c)
        g0.store8(g0.load8(c) + x0 * d, c)
        g1.store8(g1.load8(c) + x1 * d, c)
        c &+= 8
      }
      while c < f {
        g0[c] += x0 * dh[c]
        g1[c] += x1 * dh[c]
        c &+= 1
      }
    }
  }

  // MARK: Export

  /// The block's layers as separate ``Layer`` values with the current parameters.
  func layers() -> [any Layer] {
    var result: [any Layer] = []
    let w = Matrix(rows: inputs, cols: width, values: kernel.value.array)
    if let scale {
      result.append(WeightNormDense(direction: w, scale: scale.value.array, bias: bias.value.array))
    } else {
      result.append(Dense(weight: w, bias: bias.value.array))
    }
    if let norm = normalization.layer() { result.append(norm) }
    result.append(LeakyReLU(width: width, slope: slope))
    return result
  }
}

// The row loops' lane loads and stores, kept in this file: a debug build compiles files
// one by one and would not inline a helper from another file into these loops.
extension UnsafeMutablePointer where Pointee == Float {
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes { UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self) }

  @inline(__always)
  fileprivate func store8(_ value: Lanes, _ offset: Int) {
    UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Lanes.self)
  }
}

extension UnsafePointer where Pointee == Float {
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes { UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self) }
}
