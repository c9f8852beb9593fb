/// The BatchNorm kernel of a fused hidden block, with Keras' semantics: training mode
/// normalizes each *segment* (a row range) with its own statistics, so split batches
/// stacked into one buffer run as one pass; inference mode uses the moving
/// statistics. The statistics take two passes (sums, then squared deviations — no
/// one-pass variance). Moving statistics change only through explicit
/// ``applyMovingUpdate(segment:)`` calls, so the caller controls their order.
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
  private let sumG: FloatBuffer
  private let sumGX: FloatBuffer

  private(set) var lastMode: Mode = .training
  private(set) var segments: [Range<Int>] = []

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
    lastMode = mode
    self.segments.removeAll(keepingCapacity: true)
    if mode == .training {
      precondition(segments.count <= 2 && segments.last?.upperBound == rows, "FusedBatchNorm: bad segments")
      for (s, range) in segments.enumerated() {
        self.segments.append(range)
        statistics(block, range, slot: s, biasPending: biasPending)
        normalize(block, range, mean: statMean.base + s * width, inverseStd: statInverseStd.base + s * width)
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
      if biasPending { block.addBias(rows: 0..<rows) }
      normalize(block, 0..<rows, mean: mu, inverseStd: s)
    }
  }

  /// Mean and biased variance of the rows `range` of `block.pre` (two passes, rows
  /// summed top to bottom), into statistics slot `slot`.
  private func statistics(_ block: HiddenBlock, _ range: Range<Int>, slot: Int, biasPending: Bool) {
    precondition(!range.isEmpty, "FusedBatchNorm: empty batch")
    let f = width
    let m = statMean.base + slot * f
    let v = statVariance.base + slot * f
    let s = statInverseStd.base + slot * f
    let b = block.bias.value.base
    for c in 0..<f {
      m[c] = 0
      v[c] = 0
    }
    let first = block.pre.base + range.lowerBound * f
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
  private func normalize(
    _ block: HiddenBlock, _ range: Range<Int>, mean mu: UnsafeMutablePointer<Float>,
    inverseStd s: UnsafeMutablePointer<Float>
  ) {
    let f = width
    let a = block.slope
    let g = gamma.value.base
    let be = beta.value.base
    var x = block.pre.base + range.lowerBound * f
    var y = block.out.base + range.lowerBound * f
    for _ in range {
      for c in 0..<f {
        let v = g[c] * ((x[c] - mu[c]) * s[c]) + be[c]
        y[c] = v > 0 ? v : a * v
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

  /// One segment: g = dy·LeakyReLU'(y) with y recomputed; training mode
  /// dx = γ·s·(g − mean(g) − x̂·mean(g·x̂)), inference dx = γ·s·g.
  private func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, _ range: Range<Int>, slot: Int,
    input: UnsafePointer<Float>, parameterGradients: Bool
  ) {
    let f = width
    let a = block.slope
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
      var x = UnsafePointer(block.pre.base) + range.lowerBound * f
      for r in range {
        let dy = block.upstreamRow(upstream, r)
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
    var x = UnsafePointer(block.pre.base) + range.lowerBound * f
    var dh = block.gradPre.base + range.lowerBound * f
    for r in range {
      let dy = block.upstreamRow(upstream, r)
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
