import CBLAS

/// One hidden layer of the training step's networks, fused: linear map (plain
/// `Dense` or ``WeightNormDense``) → optional normalization (batch, or group/layer) →
/// LeakyReLU, on buffers preallocated for `capacity` rows.
///
/// The arithmetic per element is that of the separate layers (``Dense``,
/// ``BatchNorm``, ``GroupNorm``, ``LeakyReLU``, ``WeightNormDense``); what changes is
/// the number of passes over memory: the bias is added in the normalization's first
/// pass, BatchNorm's statistics take two passes (sums, then squared deviations — no
/// one-pass variance), and normalization and activation write the output in one
/// more pass. The backward pass recomputes the normalized values from the stored
/// pre-activations instead of storing them. Column reductions accumulate rows into a
/// per-feature vector, top to bottom: a fixed order that vectorizes.
///
/// BatchNorm in training mode normalizes each *segment* (a row range) with its own
/// statistics, so split batches stacked into one buffer run as one pass; moving
/// statistics are updated only by explicit ``applyMovingUpdate(segment:)`` calls,
/// so the caller controls their order.
final class HiddenBlock {
  /// The normalization after the linear map.
  enum Normalization: Equatable {
    case none
    case batch
    /// Group normalization with this many groups (1 = layer normalization).
    case group(Int)
  }

  /// Where dL/d(output) of ``backward(_:rows:input:parameterGradients:inputGradient:inputGradientRows:)`` comes from.
  enum Upstream {
    /// A rows × width matrix.
    case dense(UnsafePointer<Float>)
    /// d (rows × q) · t (q × width): the next layer's input gradient computed row by
    /// row (t is that layer's kernel, transposed), never stored.
    case lowRank(UnsafePointer<Float>, q: Int, UnsafePointer<Float>)
  }

  let inputs: Int
  let width: Int
  let capacity: Int
  let slope: Float
  let normalization: Normalization
  let weightNormed: Bool
  let momentum: Float
  let epsilon: Float

  /// W (plain) or the direction v (weight normalization).
  let kernel: ParameterTensor
  /// The scale g of weight normalization.
  let scale: ParameterTensor?
  let bias: ParameterTensor
  let gamma: ParameterTensor?
  let beta: ParameterTensor?
  let movingMean: FloatBuffer?
  let movingVariance: FloatBuffer?
  /// Trainable tensors in ``Sequential``'s visiting order.
  let tensors: [ParameterTensor]

  /// The kernel used in the products: W, or g·v/‖v‖ computed by ``prepareStep()``.
  let weight: FloatBuffer
  /// dL/dW accumulated over the step (the kernel's gradient itself unless weight-normed).
  let gradWeight: FloatBuffer
  private let norms: FloatBuffer

  /// Pre-activation x·W + b (before normalization), capacity × width.
  let pre: FloatBuffer
  /// The block's output, capacity × width.
  let out: FloatBuffer
  /// dL/d(pre) of the last backward pass.
  let gradPre: FloatBuffer
  /// BatchNorm: per segment (up to 2) mean, biased variance, 1/sqrt(σ² + ε).
  /// GroupNorm: per row and group mean and 1/sqrt(σ² + ε).
  let statMean: FloatBuffer
  let statVariance: FloatBuffer
  let statInverseStd: FloatBuffer
  private let sumG: FloatBuffer
  private let sumGX: FloatBuffer
  private let rowScratch: FloatBuffer

  private(set) var lastMode: Mode = .training
  private(set) var segments: [Range<Int>] = []

  /// Builds the block from the separate layers' parameters (the same values).
  init(
    inputs: Int, width: Int, capacity: Int, slope: Float, normalization: Normalization,
    linear: any Layer, norm: (any Layer)?
  ) {
    self.inputs = inputs
    self.width = width
    self.capacity = capacity
    self.slope = slope
    self.normalization = normalization
    var tensors: [ParameterTensor] = []
    if let dense = linear as? Dense {
      weightNormed = false
      kernel = ParameterTensor(dense.weight.values)
      scale = nil
      bias = ParameterTensor(dense.bias)
      weight = kernel.value
      gradWeight = kernel.gradient
      tensors = [kernel, bias]
    } else if let wn = linear as? WeightNormDense {
      weightNormed = true
      kernel = ParameterTensor(wn.direction.values)
      let g = ParameterTensor(wn.scale)
      scale = g
      bias = ParameterTensor(wn.bias)
      weight = FloatBuffer(count: inputs * width)
      gradWeight = FloatBuffer(count: inputs * width)
      tensors = [kernel, g, bias]
    } else {
      preconditionFailure("HiddenBlock: linear layer must be Dense or WeightNormDense")
    }
    precondition(kernel.count == inputs * width, "HiddenBlock: kernel shape")
    norms = FloatBuffer(count: width)
    var momentum: Float = 0.99
    var epsilon: Float = 1e-3
    switch normalization {
    case .none:
      gamma = nil
      beta = nil
      movingMean = nil
      movingVariance = nil
    case .batch:
      guard let bn = norm as? BatchNorm else { preconditionFailure("HiddenBlock: expected BatchNorm") }
      gamma = ParameterTensor(bn.gamma)
      beta = ParameterTensor(bn.beta)
      movingMean = FloatBuffer(bn.movingMean)
      movingVariance = FloatBuffer(bn.movingVariance)
      momentum = bn.momentum
      epsilon = bn.epsilon
    case .group(let groups):
      let gn: GroupNorm
      if let layer = norm as? LayerNorm {
        gn = GroupNorm(width: layer.width, groups: 1, epsilon: layer.epsilon)
        gamma = ParameterTensor(layer.gamma)
        beta = ParameterTensor(layer.beta)
      } else if let group = norm as? GroupNorm {
        gn = group
        gamma = ParameterTensor(group.gamma)
        beta = ParameterTensor(group.beta)
      } else {
        preconditionFailure("HiddenBlock: expected LayerNorm or GroupNorm")
      }
      precondition(gn.groups == groups, "HiddenBlock: group count")
      epsilon = gn.epsilon
      movingMean = nil
      movingVariance = nil
    }
    if let gamma, let beta { tensors += [gamma, beta] }
    self.tensors = tensors
    self.momentum = momentum
    self.epsilon = epsilon
    pre = FloatBuffer(count: capacity * width)
    out = FloatBuffer(count: capacity * width)
    gradPre = FloatBuffer(count: capacity * width)
    let statCount: Int
    switch normalization {
    case .group(let groups): statCount = capacity * groups
    default: statCount = 2 * width
    }
    statMean = FloatBuffer(count: statCount)
    statVariance = FloatBuffer(count: statCount)
    statInverseStd = FloatBuffer(count: statCount)
    sumG = FloatBuffer(count: width)
    sumGX = FloatBuffer(count: width)
    rowScratch = FloatBuffer(count: width)
    segments.reserveCapacity(2)
    prepareStep()
  }

  // MARK: Step bookkeeping

  /// Computes the effective kernel of weight normalization (after each update).
  func prepareStep() {
    guard weightNormed, let scale else { return }
    let (k, f) = (inputs, width)
    let v = kernel.value.base
    let n = norms.base
    for c in 0..<f { n[c] = 0 }
    var row = v
    for _ in 0..<k {
      for c in 0..<f { n[c] += row[c] * row[c] }
      row += f
    }
    for c in 0..<f { n[c] = n[c].squareRoot() }
    let g = scale.value.base
    let w = weight.base
    for r in 0..<k {
      for c in 0..<f { w[r &* f &+ c] = v[r &* f &+ c] * (g[c] / n[c]) }
    }
  }

  /// Sets every accumulated gradient to zero.
  func zeroGradients() {
    for t in tensors { t.gradient.zero() }
    gradWeight.zero()
  }

  /// Turns the step's accumulated dL/dW into the weight-normalization gradients
  /// (dL/dg_j = Σ_i dW_ij·v_ij/‖v_j‖; dL/dv = (g/‖v‖)·dW − (g·dL/dg/‖v‖²)·v), which
  /// are linear in dW. No-op for a plain kernel.
  func finishGradients() {
    guard weightNormed, let scale else { return }
    let (k, f) = (inputs, width)
    let dw = gradWeight.base
    let v = kernel.value.base
    let n = norms.base
    let g = scale.value.base
    let ds = sumG.base
    for c in 0..<f { ds[c] = 0 }
    for r in 0..<k {
      for c in 0..<f { ds[c] += dw[r &* f &+ c] * v[r &* f &+ c] }
    }
    for c in 0..<f { ds[c] /= n[c] }
    let dv = kernel.gradient.base
    for r in 0..<k {
      for c in 0..<f {
        let i = r &* f &+ c
        dv[i] += (g[c] / n[c]) * dw[i] - (g[c] * ds[c] / (n[c] * n[c])) * v[i]
      }
    }
    let dg = scale.gradient.base
    for c in 0..<f { dg[c] += ds[c] }
  }

  /// moving ← moving·momentum + statistic·(1 − momentum) with the statistics of
  /// `segment` from the last training-mode forward pass (BatchNorm only).
  func applyMovingUpdate(segment: Int) {
    guard let movingMean, let movingVariance else { return }
    precondition(lastMode == .training && segment < segments.count, "applyMovingUpdate: no such segment")
    let mm = movingMean.base
    let mv = movingVariance.base
    let mu = statMean.base + segment * width
    let variance = statVariance.base + segment * width
    let m = momentum
    for c in 0..<width {
      mm[c] = mm[c] * m + mu[c] * (1 - m)
      mv[c] = mv[c] * m + variance[c] * (1 - m)
    }
  }

  // MARK: Forward

  /// x·W + b for `rows` rows of `input` into ``pre``. Inner dimension 2 is computed
  /// directly (bias included); otherwise sgemm, and the bias is added by the next pass
  /// (`biasPending`).
  func linear(_ input: UnsafePointer<Float>, rows: Int) -> Bool {
    precondition(rows <= capacity, "HiddenBlock: \(rows) rows exceed capacity \(capacity)")
    let f = width
    if inputs == 2 {
      let w0 = weight.base
      let w1 = weight.base + f
      let b = bias.value.base
      var x = input
      var y = pre.base
      for _ in 0..<rows {
        let (x0, x1) = (x[0], x[1])
        for c in 0..<f { y[c] = (x0 * w0[c] + x1 * w1[c]) + b[c] }
        x += 2
        y += f
      }
      return false
    }
    BLASKernel.ensureSingleThreaded()
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(f), Int32(inputs),
      1, input, Int32(inputs), weight.base, Int32(f), 0, pre.base, Int32(f))
    return true
  }

  /// The forward pass for rows `0..<rows`: linear map (unless `linearReady`: ``pre``
  /// already holds it for these rows), normalization in `mode` (BatchNorm training:
  /// one set of statistics per segment; the segments must cover the rows), LeakyReLU.
  func forward(
    _ input: UnsafePointer<Float>, rows: Int, mode: Mode, segments: [Range<Int>], linearReady: Bool
  ) {
    let biasPending = linearReady ? false : linear(input, rows: rows)
    lastMode = mode
    self.segments.removeAll(keepingCapacity: true)
    switch normalization {
    case .none:
      activate(rows: 0..<rows, biasPending: biasPending)
    case .batch:
      if mode == .training {
        precondition(segments.count <= 2 && segments.last?.upperBound == rows, "HiddenBlock: bad segments")
        for (s, range) in segments.enumerated() {
          self.segments.append(range)
          batchStatistics(range, slot: s, biasPending: biasPending)
          normalizeBatch(range, mean: statMean.base + s * width, inverseStd: statInverseStd.base + s * width)
        }
      } else {
        self.segments.append(0..<rows)
        let mm = movingMean?.base, mv = movingVariance?.base
        guard let mm, let mv else { return }
        let mu = statMean.base
        let s = statInverseStd.base
        for c in 0..<width {
          mu[c] = mm[c]
          s[c] = 1 / (mv[c] + epsilon).squareRoot()
        }
        if biasPending { addBias(rows: 0..<rows) }
        normalizeBatch(0..<rows, mean: mu, inverseStd: s)
      }
    case .group(let groups):
      self.segments.append(0..<rows)
      if biasPending { addBias(rows: 0..<rows) }
      groupForward(rows: rows, groups: groups)
    }
  }

  private func addBias(rows: Range<Int>) {
    let f = width
    let b = bias.value.base
    var y = pre.base + rows.lowerBound * f
    for _ in rows {
      for c in 0..<f { y[c] += b[c] }
      y += f
    }
  }

  /// out = LeakyReLU(pre) (adding the pending bias to `pre` first).
  private func activate(rows: Range<Int>, biasPending: Bool) {
    let f = width
    let a = slope
    let b = bias.value.base
    var h = pre.base + rows.lowerBound * f
    var y = out.base + rows.lowerBound * f
    if biasPending {
      for _ in rows {
        for c in 0..<f {
          let v = h[c] + b[c]
          h[c] = v
          y[c] = v > 0 ? v : a * v
        }
        h += f
        y += f
      }
    } else {
      for _ in rows {
        for c in 0..<f {
          let v = h[c]
          y[c] = v > 0 ? v : a * v
        }
        h += f
        y += f
      }
    }
  }

  /// Mean and biased variance of the rows `range` of ``pre`` (two passes, rows
  /// summed top to bottom), into statistics slot `slot`.
  private func batchStatistics(_ range: Range<Int>, slot: Int, biasPending: Bool) {
    precondition(!range.isEmpty, "HiddenBlock: empty batch")
    let f = width
    let m = statMean.base + slot * f
    let v = statVariance.base + slot * f
    let s = statInverseStd.base + slot * f
    let b = bias.value.base
    for c in 0..<f {
      m[c] = 0
      v[c] = 0
    }
    let first = pre.base + range.lowerBound * f
    var row = first
    if biasPending {
      for _ in range {
        for c in 0..<f {
          let x = row[c] + b[c]
          row[c] = x
          m[c] += x
        }
        row += f
      }
    } else {
      for _ in range {
        for c in 0..<f { m[c] += row[c] }
        row += f
      }
    }
    let inverseCount = 1 / Float(range.count)
    for c in 0..<f { m[c] *= inverseCount }
    row = first
    for _ in range {
      for c in 0..<f {
        let d = row[c] - m[c]
        v[c] += d * d
      }
      row += f
    }
    for c in 0..<f {
      v[c] *= inverseCount
      s[c] = 1 / (v[c] + epsilon).squareRoot()
    }
  }

  /// out = LeakyReLU(γ·(pre − μ)·s + β) for the rows `range`.
  private func normalizeBatch(
    _ range: Range<Int>, mean mu: UnsafeMutablePointer<Float>, inverseStd s: UnsafeMutablePointer<Float>
  ) {
    guard let gamma, let beta else { return }
    let f = width
    let a = slope
    let g = gamma.value.base
    let be = beta.value.base
    var x = pre.base + range.lowerBound * f
    var y = out.base + range.lowerBound * f
    for _ in range {
      for c in 0..<f {
        let v = g[c] * ((x[c] - mu[c]) * s[c]) + be[c]
        y[c] = v > 0 ? v : a * v
      }
      x += f
      y += f
    }
  }

  /// Group (and layer) normalization forward, row by row. Each group's sums run over
  /// ``Lanes`` for its whole 8-feature chunks, ending in the fixed lane tree, then
  /// add the remaining features one by one (all of them for groups under 8 features).
  private func groupForward(rows: Int, groups: Int) {
    guard let gamma, let beta else { return }
    let f = width
    let size = f / groups
    let step = Lanes.scalarCount
    let chunked = size - size % step
    let inverseSize = 1 / Float(size)
    let eps = epsilon
    let a = slope
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let means = statMean.base
    let inv = statInverseStd.base
    var x = UnsafePointer(pre.base)
    var y = out.base
    for r in 0..<rows {
      for k in 0..<groups {
        let start = k &* size
        let chunkEnd = start &+ chunked
        let end = start &+ size
        var sum: Float = 0
        var c = start
        if chunked > 0 {
          var lanes = x.lanes(start)
          c &+= step
          while c < chunkEnd {
            lanes += x.lanes(c)
            c &+= step
          }
          sum = lanes.fixedSum
        }
        while c < end {
          sum += x[c]
          c &+= 1
        }
        let mu = sum * inverseSize
        var squareLanes = Lanes()
        c = start
        while c < chunkEnd {
          let d = x.lanes(c) - mu
          squareLanes += d * d
          c &+= step
        }
        var squares = squareLanes.fixedSum
        while c < end {
          let d = x[c] - mu
          squares += d * d
          c &+= 1
        }
        let s = 1 / (squares * inverseSize + eps).squareRoot()
        means[r &* groups &+ k] = mu
        inv[r &* groups &+ k] = s
        c = start
        while c < chunkEnd {
          let v = ga.lanes(c) * ((x.lanes(c) - mu) * s) + be.lanes(c)
          y.setLanes(v.leakyReLU(slope: a), c)
          c &+= step
        }
        while c < end {
          let v = ga[c] * ((x[c] - mu) * s) + be[c]
          y[c] = v > 0 ? v : a * v
          c &+= 1
        }
      }
      x += f
      y += f
    }
  }

  // MARK: Backward

  /// Row `r` of the upstream gradient (computed into a scratch row for `.lowRank`).
  @inline(__always)
  private func upstreamRow(_ upstream: Upstream, _ r: Int) -> UnsafePointer<Float> {
    let f = width
    switch upstream {
    case .dense(let p):
      return p + r &* f
    case .lowRank(let d, let q, let t):
      let y = rowScratch.base
      let dr = d + r &* q
      let d0 = dr[0]
      for c in 0..<f { y[c] = d0 * t[c] }
      if q > 1 {
        for j in 1..<q {
          let dj = dr[j]
          let tj = t + j &* f
          for c in 0..<f { y[c] += dj * tj[c] }
        }
      }
      return UnsafePointer(y)
    }
  }

  /// The backward pass for the last forward (same rows): fills ``gradPre`` with
  /// dL/d(pre); with `parameterGradients`, adds dL/dθ to the accumulated gradients
  /// (dL/dW into ``gradWeight``); with `inputGradient`, writes dL/d(input) of the
  /// first `inputGradientRows` rows there.
  func backward(
    _ upstream: Upstream, rows: Int, input: UnsafePointer<Float>, parameterGradients: Bool,
    inputGradient: UnsafeMutablePointer<Float>?, inputGradientRows: Int
  ) {
    let f = width
    let a = slope
    switch normalization {
    case .none:
      var dh = gradPre.base
      var h = UnsafePointer(pre.base)
      for r in 0..<rows {
        let dy = upstreamRow(upstream, r)
        for c in 0..<f { dh[c] = h[c] > 0 ? dy[c] : a * dy[c] }
        if parameterGradients { accumulateRow(dh, r, input) }
        dh += f
        h += f
      }
    case .batch:
      for (s, range) in segments.enumerated() {
        batchBackward(upstream, range, slot: s, input: input, parameterGradients: parameterGradients)
      }
    case .group(let groups):
      groupBackward(upstream, rows: rows, groups: groups, input: input, parameterGradients: parameterGradients)
    }
    if parameterGradients && inputs != 2 {
      BLASKernel.ensureSingleThreaded()
      cblas_sgemm(
        CblasRowMajor, CblasTrans, CblasNoTrans, Int32(inputs), Int32(f), Int32(rows),
        1, input, Int32(inputs), gradPre.base, Int32(f), 1, gradWeight.base, Int32(f))
    }
    if let inputGradient, inputGradientRows > 0 {
      precondition(inputGradientRows <= rows, "HiddenBlock: input gradient rows")
      BLASKernel.ensureSingleThreaded()
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(inputGradientRows), Int32(inputs), Int32(f),
        1, gradPre.base, Int32(f), weight.base, Int32(f), 0, inputGradient, Int32(inputs))
    }
  }

  /// Adds row `r` of dL/d(pre) (at `dh`) to the bias gradient and, for inner
  /// dimension 2, its outer product with input row `r` to dL/dW: the parameter
  /// gradients accumulate row by row, top to bottom, inside the pass that writes
  /// the row. (Wider inputs take one sgemm after the pass.)
  @inline(__always)
  private func accumulateRow(_ dh: UnsafeMutablePointer<Float>, _ r: Int, _ input: UnsafePointer<Float>) {
    let f = width
    let db = bias.gradient.base
    for c in 0..<f { db[c] += dh[c] }
    if inputs == 2 {
      let g0 = gradWeight.base
      let g1 = gradWeight.base + f
      let x0 = input[2 &* r]
      let x1 = input[2 &* r &+ 1]
      for c in 0..<f {
        g0[c] += x0 * dh[c]
        g1[c] += x1 * dh[c]
      }
    }
  }

  /// BatchNorm backward for one segment: g = dy·LeakyReLU'(y) with y recomputed;
  /// training mode dx = γ·s·(g − mean(g) − x̂·mean(g·x̂)), inference dx = γ·s·g.
  private func batchBackward(
    _ upstream: Upstream, _ range: Range<Int>, slot: Int, input: UnsafePointer<Float>, parameterGradients: Bool
  ) {
    guard let gamma, let beta else { return }
    let f = width
    let a = slope
    let ga = gamma.value.base
    let be = beta.value.base
    let mu = statMean.base + slot * f
    let s = statInverseStd.base + slot * f
    let sg = sumG.base
    let sgx = sumGX.base
    for c in 0..<f {
      sg[c] = 0
      sgx[c] = 0
    }
    let training = lastMode == .training
    if training || parameterGradients {
      var x = UnsafePointer(pre.base) + range.lowerBound * f
      for r in range {
        let dy = upstreamRow(upstream, r)
        for c in 0..<f {
          let xh = (x[c] - mu[c]) * s[c]
          let y = ga[c] * xh + be[c]
          let g = y > 0 ? dy[c] : a * dy[c]
          sg[c] += g
          sgx[c] += g * xh
        }
        x += f
      }
      if parameterGradients {
        let db = beta.gradient.base
        let dg = gamma.gradient.base
        for c in 0..<f {
          db[c] += sg[c]
          dg[c] += sgx[c]
        }
      }
      let inverseCount = 1 / Float(range.count)
      for c in 0..<f {
        sg[c] *= inverseCount
        sgx[c] *= inverseCount
      }
    }
    var x = UnsafePointer(pre.base) + range.lowerBound * f
    var dh = gradPre.base + range.lowerBound * f
    for r in range {
      let dy = upstreamRow(upstream, r)
      if training {
        for c in 0..<f {
          let xh = (x[c] - mu[c]) * s[c]
          let y = ga[c] * xh + be[c]
          let g = y > 0 ? dy[c] : a * dy[c]
          dh[c] = (ga[c] * s[c]) * (g - sg[c] - xh * sgx[c])
        }
      } else {
        for c in 0..<f {
          let xh = (x[c] - mu[c]) * s[c]
          let y = ga[c] * xh + be[c]
          let g = y > 0 ? dy[c] : a * dy[c]
          dh[c] = (ga[c] * s[c]) * g
        }
      }
      if parameterGradients { accumulateRow(dh, r, input) }
      x += f
      dh += f
    }
  }

  /// Group (and layer) normalization backward, row by row; the group means of the
  /// gradient run over ``Lanes`` and the remaining features as in ``groupForward(rows:groups:)``.
  private func groupBackward(
    _ upstream: Upstream, rows: Int, groups: Int, input: UnsafePointer<Float>, parameterGradients: Bool
  ) {
    guard let gamma, let beta else { return }
    let f = width
    let size = f / groups
    let step = Lanes.scalarCount
    let chunked = size - size % step
    let inverseSize = 1 / Float(size)
    let a = slope
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let means = statMean.base
    let inv = statInverseStd.base
    let db = beta.gradient.base
    let dg = gamma.gradient.base
    let g = sumG.base  // one row of LeakyReLU-multiplied gradients
    let xhat = sumGX.base  // the same row's normalized values
    let rowChunks = f - f % step
    var x = UnsafePointer(pre.base)
    var dh = gradPre.base
    for r in 0..<rows {
      let dy = upstreamRow(upstream, r)
      for k in 0..<groups {
        let start = k &* size
        let chunkEnd = start &+ chunked
        let end = start &+ size
        let mu = means[r &* groups &+ k]
        let s = inv[r &* groups &+ k]
        var lanesG = Lanes()
        var lanesGXhat = Lanes()
        var c = start
        while c < chunkEnd {
          let xh = (x.lanes(c) - mu) * s
          let gc = (ga.lanes(c) * xh + be.lanes(c)).leakyReLUGradient(dy.lanes(c), slope: a)
          g.setLanes(gc, c)
          xhat.setLanes(xh, c)
          let gi = gc * ga.lanes(c)
          lanesG += gi
          lanesGXhat += gi * xh
          c &+= step
        }
        var meanG = lanesG.fixedSum
        var meanGXhat = lanesGXhat.fixedSum
        while c < end {
          let xh = (x[c] - mu) * s
          let y = ga[c] * xh + be[c]
          let gc = y > 0 ? dy[c] : a * dy[c]
          g[c] = gc
          xhat[c] = xh
          let gi = gc * ga[c]
          meanG += gi
          meanGXhat += gi * xh
          c &+= 1
        }
        meanG *= inverseSize
        meanGXhat *= inverseSize
        c = start
        while c < chunkEnd {
          dh.setLanes(s * (g.lanes(c) * ga.lanes(c) - meanG - xhat.lanes(c) * meanGXhat), c)
          c &+= step
        }
        while c < end {
          dh[c] = s * (g[c] * ga[c] - meanG - xhat[c] * meanGXhat)
          c &+= 1
        }
      }
      if parameterGradients {
        var c = 0
        while c < rowChunks {
          let gc = g.lanes(c)
          db.setLanes(db.lanes(c) + gc, c)
          dg.setLanes(dg.lanes(c) + gc * xhat.lanes(c), c)
          c &+= step
        }
        while c < f {
          db[c] += g[c]
          dg[c] += g[c] * xhat[c]
          c &+= 1
        }
        accumulateRow(dh, r, input)
      }
      x += f
      dh += f
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
    switch normalization {
    case .none: break
    case .batch:
      var bn = BatchNorm(width: width, momentum: momentum, epsilon: epsilon)
      bn.gamma = gamma?.value.array ?? bn.gamma
      bn.beta = beta?.value.array ?? bn.beta
      bn.movingMean = movingMean?.array ?? bn.movingMean
      bn.movingVariance = movingVariance?.array ?? bn.movingVariance
      result.append(bn)
    case .group(let groups):
      if groups == 1 {
        var ln = LayerNorm(width: width, epsilon: epsilon)
        ln.gamma = gamma?.value.array ?? ln.gamma
        ln.beta = beta?.value.array ?? ln.beta
        result.append(ln)
      } else {
        var gn = GroupNorm(width: width, groups: groups, epsilon: epsilon)
        gn.gamma = gamma?.value.array ?? gn.gamma
        gn.beta = beta?.value.array ?? gn.beta
        result.append(gn)
      }
    }
    result.append(LeakyReLU(width: width, slope: slope))
    return result
  }
}
