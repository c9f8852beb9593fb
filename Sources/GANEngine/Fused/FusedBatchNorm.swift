/// The BatchNorm kernel of a fused hidden block, with Keras' semantics: training mode
/// normalizes each *segment* (a row range) with its own statistics, so split batches
/// stacked into one buffer run as one pass; inference mode uses the moving
/// statistics. The statistics take two passes (sums, then squared deviations — no
/// one-pass variance). Moving statistics change only through explicit
/// ``applyMovingUpdate(segment:)`` calls, so the caller controls their order.
///
/// The normalization itself takes the affine form TensorFlow's batch normalization
/// uses: per feature `scale = γ·s` and `shift = β − μ·scale` with s = 1/sqrt(σ² + ε),
/// then `x·scale + shift` per element as one fused multiply-add (a third of the
/// operations of γ·(x − μ)·s + β).
final class FusedBatchNorm: FusedNormalization {
  let width: Int
  let momentum: Float
  let epsilon: Float
  let gamma: ParameterTensor
  let beta: ParameterTensor
  let movingMean: FloatBuffer
  let movingVariance: FloatBuffer
  /// Per segment (up to 2): mean, biased variance, 1/sqrt(σ² + ε).
  let statMean: FloatBuffer
  let statVariance: FloatBuffer
  let statInverseStd: FloatBuffer
  /// Per segment (up to 2): γ·s and β − μ·γ·s, the normalization as one affine map.
  private let statScale: FloatBuffer
  private let statShift: FloatBuffer
  private let sumG: FloatBuffer
  private let sumGX: FloatBuffer

  private(set) var lastMode: Mode = .training
  private(set) var segments: [Range<Int>] = []
  /// Training mode: the first row of the second segment (the row count with one).
  private var segmentSplit = 0

  var tensors: [ParameterTensor] { [gamma, beta] }
  var batchNorm: FusedBatchNorm? { self }

  /// γ and β from `parameters`; moving mean 0 and variance 1, as Keras starts them.
  init(_ spec: HiddenLayerSpec, parameters: inout InitialParameters) {
    let f = spec.width
    width = f
    momentum = spec.momentum
    epsilon = spec.epsilon
    gamma = ParameterTensor(parameters.next(count: f, "BatchNorm gamma"))
    beta = ParameterTensor(parameters.next(count: f, "BatchNorm beta"))
    movingMean = FloatBuffer(count: f, repeating: 0)
    movingVariance = FloatBuffer(count: f, repeating: 1)
    statMean = FloatBuffer(count: 2 * f)
    statVariance = FloatBuffer(count: 2 * f)
    statInverseStd = FloatBuffer(count: 2 * f)
    statScale = FloatBuffer(count: 2 * f)
    statShift = FloatBuffer(count: 2 * f)
    sumG = FloatBuffer(count: f)
    sumGX = FloatBuffer(count: f)
    segments.reserveCapacity(2)
  }

  /// moving ← moving·momentum + statistic·(1 − momentum) with the statistics of
  /// `segment` from the last training-mode forward pass.
  func applyMovingUpdate(segment: Int) {
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

  func forward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>], biasPending: Bool) {
    _ = beginForward(block, rows: rows, mode: mode, segments: segments)
    forwardRows(block, 0..<rows, biasPending: biasPending)
    finishForward(block, rows: rows)
  }

  /// Training mode: zeroes each segment's sums, which the first pass fills row by row;
  /// inference mode: the affine map of the moving statistics.
  func beginForward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>]) -> Bool {
    lastMode = mode
    self.segments.removeAll(keepingCapacity: true)
    if mode == .training {
      precondition(
        segments.count <= 2 && segments.first?.lowerBound == 0 && segments.last?.upperBound == rows
          && (segments.count == 1 || segments[0].upperBound == segments[1].lowerBound),
        "FusedBatchNorm: the segments must cover the rows in order")
      for range in segments {
        precondition(!range.isEmpty, "FusedBatchNorm: empty batch")
        self.segments.append(range)
      }
      segmentSplit = segments.count == 2 ? segments[1].lowerBound : rows
      for c in 0..<(segments.count * width) {
        statMean.base[c] = 0
        statVariance.base[c] = 0
      }
    } else {
      self.segments.append(0..<rows)
      let mm = movingMean.base, mv = movingVariance.base
      let mu = statMean.base
      let s = statInverseStd.base
      for c in 0..<width {
        mu[c] = mm[c]
        s[c] = 1 / (mv[c] + epsilon).squareRoot()
      }
      prepareAffine(slot: 0)
    }
    return true
  }

  /// Training mode: the statistics' first pass (the pending bias, then the column
  /// sums, each segment into its own slot); inference mode: the whole pass.
  func forwardRows(_ block: HiddenBlock, _ rows: Range<Int>, biasPending: Bool) {
    if lastMode == .training {
      // The rows before `split` belong to the first segment, the others to the second.
      let split = segmentSplit
      if rows.lowerBound < split {
        sumRows(block, rows.lowerBound..<min(rows.upperBound, split), slot: 0, biasPending: biasPending)
      }
      if rows.upperBound > split {
        sumRows(block, max(rows.lowerBound, split)..<rows.upperBound, slot: 1, biasPending: biasPending)
      }
    } else {
      if biasPending { block.addBias(rows: rows) }
      normalize(block, rows, slot: 0)
    }
  }

  /// Training mode, segment by segment: mean and variance, then the normalization.
  func finishForward(_ block: HiddenBlock, rows: Int) {
    guard lastMode == .training else { return }
    for (s, range) in segments.enumerated() {
      statistics(block, range, slot: s)
      prepareAffine(slot: s)
      normalize(block, range, slot: s)
    }
  }

  /// Adds the rows `rows` of `block.pre` (after their pending bias), top to bottom, to
  /// the column sums of statistics slot `slot`.
  private func sumRows(_ block: HiddenBlock, _ rows: Range<Int>, slot: Int, biasPending: Bool) {
    let f = width
    let m = statMean.base + slot * f
    let b = block.bias.value.base
    let f8 = f - f % 8
    var row = block.pre.base + rows.lowerBound * f
    if biasPending {
      for _ in rows {
        var c = 0
        while c < f8 {
          let x = row.load8(c) + b.load8(c)
          row.store8(x, c)
          m.store8(m.load8(c) + x, c)
          c &+= 8
        }
        while c < f {
          let x = row[c] + b[c]
          row[c] = x
          m[c] += x
          c &+= 1
        }
        row += f
      }
    } else {
      for _ in rows {
        var c = 0
        while c < f8 {
          m.store8(m.load8(c) + row.load8(c), c)
          c &+= 8
        }
        while c < f {
          m[c] += row[c]
          c &+= 1
        }
        row += f
      }
    }
  }

  /// Mean and biased variance of the rows `range` of `block.pre` from the column sums
  /// of the first pass (``sumRows(_:_:slot:biasPending:)``) and a second pass of
  /// squared deviations, rows top to bottom, into statistics slot `slot`.
  private func statistics(_ block: HiddenBlock, _ range: Range<Int>, slot: Int) {
    let f = width
    let m = statMean.base + slot * f
    let v = statVariance.base + slot * f
    let s = statInverseStd.base + slot * f
    let f8 = f - f % 8
    let inverseCount = 1 / Float(range.count)
    for c in 0..<f { m[c] *= inverseCount }
    var row = block.pre.base + range.lowerBound * f
    for _ in range {
      var c = 0
      while c < f8 {
        let d = row.load8(c) - m.load8(c)
        v.store8(v.load8(c) + d * d, c)
        c &+= 8
      }
      while c < f {
        let d = row[c] - m[c]
        v[c] += d * d
        c &+= 1
      }
      row += f
    }
    for c in 0..<f {
      v[c] *= inverseCount
      s[c] = 1 / (v[c] + epsilon).squareRoot()
    }
  }

  /// scale = γ·s and shift = β − μ·scale of statistics slot `slot`.
  private func prepareAffine(slot: Int) {
    let f = width
    let g = gamma.value.base
    let be = beta.value.base
    let mu = statMean.base + slot * f
    let s = statInverseStd.base + slot * f
    let scale = statScale.base + slot * f
    let shift = statShift.base + slot * f
    for c in 0..<f {
      scale[c] = g[c] * s[c]
      shift[c] = be[c] - mu[c] * scale[c]
    }
  }

  /// out = LeakyReLU(pre·scale + shift) for the rows `range`, one fused multiply-add
  /// per element.
  private func normalize(_ block: HiddenBlock, _ range: Range<Int>, slot: Int) {
    let f = width
    let a = block.slope
    let scale = statScale.base + slot * f
    let shift = statShift.base + slot * f
    var x = block.pre.base + range.lowerBound * f
    var y = block.out.base + range.lowerBound * f
    let f8 = f - f % 8
    for _ in range {
      var c = 0
      while c < f8 {
        let v = shift.load8(c).addingProduct(x.load8(c), scale.load8(c))
        y.store8(leakyForward(v, slope: a), c)
        c &+= 8
      }
      while c < f {
        let v = shift[c].addingProduct(x[c], scale[c])
        y[c] = v > 0 ? v : a * v
        c &+= 1
      }
      x += f
      y += f
    }
  }

  // MARK: Backward

  func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, rows: Int, input: UnsafePointer<Float>,
    parameterGradients: Bool
  ) {
    for (s, range) in segments.enumerated() {
      backward(block, upstream, range, slot: s, input: input, parameterGradients: parameterGradients)
    }
  }

  /// One segment: g = dy·LeakyReLU'(y) with y recomputed as the forward pass computed
  /// it; training mode dx = γ·s·(g − mean(g) − x̂·mean(g·x̂)), inference dx = γ·s·g.
  ///
  /// When the sums of g and g·x̂ are needed (training mode, or dL/dγ and dL/dβ), their
  /// pass also leaves g in `gradPre`, and the second pass reads it there instead of
  /// recomputing it (and the upstream row) from dy: the same values, a third of the
  /// second pass' arithmetic.
  private func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, _ range: Range<Int>, slot: Int,
    input: UnsafePointer<Float>, parameterGradients: Bool
  ) {
    let f = width
    let a = block.slope
    let mu = statMean.base + slot * f
    let s = statInverseStd.base + slot * f
    let scale = statScale.base + slot * f
    let shift = statShift.base + slot * f
    let sg = sumG.base
    let sgx = sumGX.base
    let training = lastMode == .training
    let f8 = f - f % 8
    let pre = UnsafePointer(block.pre.base) + range.lowerBound * f
    let gradients = block.gradPre.base + range.lowerBound * f
    /// g = dy·LeakyReLU'(y) and x̂ at columns c..<c+8 (or c) of the row at `x`.
    @inline(__always) func gradient8(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ c: Int) -> (g: Lanes, xh: Lanes) {
      let xc = x.load8(c)
      let y = shift.load8(c).addingProduct(xc, scale.load8(c))
      return (leakyBackward(dy.load8(c), at: y, slope: a), (xc - mu.load8(c)) * s.load8(c))
    }
    @inline(__always) func gradient1(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ c: Int) -> (g: Float, xh: Float) {
      let y = shift[c].addingProduct(x[c], scale[c])
      return (y > 0 ? dy[c] : a * dy[c], (x[c] - mu[c]) * s[c])
    }
    // The first pass: g, with its sums when they are needed; otherwise (inference
    // mode, input gradient only) directly dL/d(pre) = γ·s·g.
    let takesSums = training || parameterGradients
    if takesSums {
      for c in 0..<f {
        sg[c] = 0
        sgx[c] = 0
      }
    }
    var x = pre
    var dh = gradients
    for r in range {
      let dy = block.upstreamRow(upstream, r)
      var c = 0
      if takesSums {
        while c < f8 {
          let (g, xh) = gradient8(x, dy, c)
          dh.store8(g, c)
          sg.store8(sg.load8(c) + g, c)
          sgx.store8(sgx.load8(c) + g * xh, c)
          c &+= 8
        }
        while c < f {
          let (g, xh) = gradient1(x, dy, c)
          dh[c] = g
          sg[c] += g
          sgx[c] += g * xh
          c &+= 1
        }
      } else {
        while c < f8 {
          dh.store8(scale.load8(c) * gradient8(x, dy, c).g, c)
          c &+= 8
        }
        while c < f {
          dh[c] = scale[c] * gradient1(x, dy, c).g
          c &+= 1
        }
      }
      x += f
      dh += f
    }
    guard takesSums else { return }
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
    x = pre
    dh = gradients
    for r in range {
      var c = 0
      if training {
        while c < f8 {
          let xh = (x.load8(c) - mu.load8(c)) * s.load8(c)
          dh.store8(scale.load8(c) * (dh.load8(c) - sg.load8(c) - xh * sgx.load8(c)), c)
          c &+= 8
        }
        while c < f {
          let xh = (x[c] - mu[c]) * s[c]
          dh[c] = scale[c] * (dh[c] - sg[c] - xh * sgx[c])
          c &+= 1
        }
      } else {
        while c < f8 {
          dh.store8(scale.load8(c) * dh.load8(c), c)
          c &+= 8
        }
        while c < f {
          dh[c] = scale[c] * dh[c]
          c &+= 1
        }
      }
      if parameterGradients { block.accumulateRow(dh, r, input) }
      x += f
      dh += f
    }
  }

  // MARK: Export

  func layer() -> (any Layer)? {
    var bn = BatchNorm(width: width, momentum: momentum, epsilon: epsilon)
    bn.gamma = gamma.value.array
    bn.beta = beta.value.array
    bn.movingMean = movingMean.array
    bn.movingVariance = movingVariance.array
    return bn
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

/// LeakyReLU's backward step for upstream `dy` at outputs `y`, lane by lane as
/// `y > 0 ? dy : slope·dy` (NaN `y`: `slope·dy`).
@inline(__always)
private func leakyBackward(_ dy: Lanes, at y: Lanes, slope: Float) -> Lanes {
  (slope * dy).replacing(with: dy, where: y .> 0)
}

/// `v > 0 ? v : slope·v` lane by lane.
@inline(__always)
private func leakyForward(_ v: Lanes, slope: Float) -> Lanes {
  (slope * v).replacing(with: v, where: v .> 0)
}
