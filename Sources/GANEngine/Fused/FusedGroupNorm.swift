#if ENGINE_AVX2
  import _Builtin_intrinsics.intel
#endif

/// The group-normalization kernel of a fused hidden block (layer normalization is
/// one group): each row's features are split into `groups` equal groups, each
/// normalized with its own mean and biased variance, then scaled and shifted per
/// feature. No mode dependence and no moving statistics.
///
/// Rows are processed one by one. Each group's sums run over ``Lanes`` for its whole
/// 8-feature chunks, ending in the fixed lane tree, then add the remaining features
/// one by one (all of them for groups under 8 features). Two layouts take the same
/// sums side by side, with the same operations: eight groups of eight features
/// (``inEights``) and one group spanning whole ``Lanes`` (``rowsInEights``).
final class FusedGroupNorm: FusedNormalization {
  let width: Int
  let groups: Int
  let epsilon: Float
  /// Exported as ``LayerNorm`` (one group) rather than ``GroupNorm``.
  let isLayerNorm: Bool
  /// Features per group, of which the first `chunked` run in whole ``Lanes``.
  let size: Int
  let chunked: Int
  let inverseSize: Float
  let gamma: ParameterTensor
  let beta: ParameterTensor
  /// Per row and group: mean and 1/sqrt(σ² + ε).
  let statMean: FloatBuffer
  let statInverseStd: FloatBuffer
  /// LeakyReLU-multiplied gradients and normalized values of one row (eight with
  /// ``rowsInEights``).
  private let rowGradient: FloatBuffer
  private let rowNormalized: FloatBuffer
  /// Two sets of eight rows' lane sums before their trees (``rowsInEights``).
  private let laneSums: FloatBuffer

  var tensors: [ParameterTensor] { [gamma, beta] }

  /// Group normalization with `groups` groups (`layerNorm`: one group, exported as
  /// ``LayerNorm``), γ and β from `parameters`.
  init(_ spec: HiddenLayerSpec, layerNorm: Bool, capacity: Int, parameters: inout InitialParameters) {
    let f = spec.width
    width = f
    groups = layerNorm ? 1 : spec.groups
    precondition(f % groups == 0, "FusedGroupNorm: \(groups) groups do not divide the width \(f)")
    epsilon = spec.epsilon
    isLayerNorm = layerNorm
    size = f / groups
    chunked = size - size % Lanes.scalarCount
    inverseSize = 1 / Float(size)
    gamma = ParameterTensor(parameters.next(count: f, "GroupNorm gamma"))
    beta = ParameterTensor(parameters.next(count: f, "GroupNorm beta"))
    statMean = FloatBuffer(count: capacity * groups)
    statInverseStd = FloatBuffer(count: capacity * groups)
    let scratchRows = groups == 1 && chunked == size ? 8 : 1
    rowGradient = FloatBuffer(count: scratchRows * f)
    rowNormalized = FloatBuffer(count: scratchRows * f)
    laneSums = FloatBuffer(count: 2 * 8 * Lanes.scalarCount)
  }

  /// Row by row: the pending bias is added to the row of `pre` (while it sits in L1),
  /// then its groups are normalized.
  func forward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>], biasPending: Bool) {
    if inEights {
      forwardInEights(block, rows: rows, biasPending: biasPending)
      return
    }
    let first = rowsInEights ? forwardRowsInEights(block, rows: rows, biasPending: biasPending) : 0
    let (f, groups, size, chunked, inverseSize) = (width, groups, size, chunked, inverseSize)
    let step = Lanes.scalarCount
    let eps = epsilon
    let a = block.slope
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let means = statMean.base
    let inv = statInverseStd.base
    var x = UnsafePointer(block.pre.base) + first &* f
    var y = block.out.base + first &* f
    for r in first..<rows {
      if biasPending { block.addBias(rows: r..<(r + 1)) }
      for k in 0..<groups {
        let start = k &* size
        let chunkEnd = start &+ chunked
        let end = start &+ size
        var sum: Float = 0
        var c = start
        if chunked > 0 {
          var lanes = x.load8(start)
          c &+= step
          while c < chunkEnd {
            lanes += x.load8(c)
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
          let d = x.load8(c) - mu
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
          let v = ga.load8(c) * ((x.load8(c) - mu) * s) + be.load8(c)
          y.store8(v.leakyReLU(slope: a), c)
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

  /// Row by row; the group means of the gradient run over ``Lanes`` and the remaining
  /// features as in the forward pass.
  func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, rows: Int, input: UnsafePointer<Float>,
    parameterGradients: Bool
  ) {
    let f = width
    let a = block.slope
    let first =
      rowsInEights
      ? backwardRowsInEights(block, upstream, rows: rows, input: input, parameterGradients: parameterGradients) : 0
    var x = UnsafePointer(block.pre.base) + first &* f
    var dh = block.gradPre.base + first &* f
    for r in first..<rows {
      let dy = block.upstreamRow(upstream, r)
      if inEights {
        backwardInEights(x, dy, dh, row: r, slope: a)
      } else {
        backwardByGroup(x, dy, dh, row: r, slope: a)
      }
      if parameterGradients {
        accumulateParameterGradients(rowGradient.base, rowNormalized.base)
        block.accumulateRow(dh, r, input)
      }
      x += f
      dh += f
    }
  }

  /// dL/dβ += g and dL/dγ += g·x̂ for one row's LeakyReLU-multiplied gradients `g`
  /// and normalized values `xhat` (rows are added top to bottom by the callers).
  @inline(__always)
  private func accumulateParameterGradients(_ g: UnsafeMutablePointer<Float>, _ xhat: UnsafeMutablePointer<Float>) {
    let f = width
    let step = Lanes.scalarCount
    let rowChunks = f - f % step
    let db = beta.gradient.base
    let dg = gamma.gradient.base
    var c = 0
    while c < rowChunks {
      let gc = g.load8(c)
      db.store8(db.load8(c) + gc, c)
      dg.store8(dg.load8(c) + gc * xhat.load8(c), c)
      c &+= step
    }
    while c < f {
      db[c] += g[c]
      dg[c] += g[c] * xhat[c]
      c &+= 1
    }
  }

  /// One row of the backward pass, group by group (the parts before the parameter
  /// gradients): fills the row scratch buffers and the row of `dh`.
  @inline(__always)
  private func backwardByGroup(
    _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dh: UnsafeMutablePointer<Float>, row r: Int,
    slope a: Float
  ) {
    let (groups, size, chunked, inverseSize) = (groups, size, chunked, inverseSize)
    let step = Lanes.scalarCount
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let means = statMean.base
    let inv = statInverseStd.base
    let g = rowGradient.base
    let xhat = rowNormalized.base
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
        let xh = (x.load8(c) - mu) * s
        let gc = (ga.load8(c) * xh + be.load8(c)).leakyReLUGradient(dy.load8(c), slope: a)
        g.store8(gc, c)
        xhat.store8(xh, c)
        let gi = gc * ga.load8(c)
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
        dh.store8(s * (g.load8(c) * ga.load8(c) - meanG - xhat.load8(c) * meanGXhat), c)
        c &+= step
      }
      while c < end {
        dh[c] = s * (g[c] * ga[c] - meanG - xhat[c] * meanGXhat)
        c &+= 1
      }
    }
  }

  // MARK: Eight groups of eight side by side

  /// Whether the groups have eight features each and come in whole runs of eight (the
  /// study's width 64 in 8 groups): then the per-group sums of eight groups are
  /// computed side by side by ``fixedSums(_:_:_:_:_:_:_:_:)``, the same lane tree as
  /// ``SIMD8/fixedSum`` for each, and the statistics of eight groups are one vector.
  /// The per-element operations are those of the group-by-group loops.
  private var inEights: Bool { size == 8 && groups % 8 == 0 }

  private func forwardInEights(_ block: HiddenBlock, rows: Int, biasPending: Bool) {
    let (f, groups, inverseSize, eps) = (width, groups, inverseSize, epsilon)
    let a = block.slope
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    var x = UnsafePointer(block.pre.base)
    var y = block.out.base
    var means = statMean.base
    var inv = statInverseStd.base
    for r in 0..<rows {
      if biasPending { block.addBias(rows: r..<(r + 1)) }
      var o = 0
      while o < f {
        let (x0, x1, x2, x3) = (x.load8(o), x.load8(o &+ 8), x.load8(o &+ 16), x.load8(o &+ 24))
        let (x4, x5, x6, x7) = (x.load8(o &+ 32), x.load8(o &+ 40), x.load8(o &+ 48), x.load8(o &+ 56))
        let mu = fixedSums(x0, x1, x2, x3, x4, x5, x6, x7) * inverseSize
        @inline(__always) func square(_ v: Lanes, _ k: Int) -> Lanes {
          let d = v - mu[k]
          return Lanes() + d * d
        }
        let squares = fixedSums(
          square(x0, 0), square(x1, 1), square(x2, 2), square(x3, 3), square(x4, 4), square(x5, 5),
          square(x6, 6), square(x7, 7))
        let s = 1 / (squares * inverseSize + eps).squareRoot()
        means.store8(mu, o / 8)
        inv.store8(s, o / 8)
        @inline(__always) func output(_ v: Lanes, _ k: Int) {
          let c = o &+ 8 &* k
          y.store8((ga.load8(c) * ((v - mu[k]) * s[k]) + be.load8(c)).leakyReLU(slope: a), c)
        }
        output(x0, 0); output(x1, 1); output(x2, 2); output(x3, 3)
        output(x4, 4); output(x5, 5); output(x6, 6); output(x7, 7)
        o &+= 64
      }
      x += f
      y += f
      means += groups
      inv += groups
    }
  }

  /// One row of the backward pass (the parts before the parameter gradients): fills
  /// the row scratch buffers and the row of `dh`.
  @inline(__always)
  private func backwardInEights(
    _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dh: UnsafeMutablePointer<Float>, row r: Int,
    slope a: Float
  ) {
    let (f, groups, inverseSize) = (width, groups, inverseSize)
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let g = rowGradient.base
    let xhat = rowNormalized.base
    let means = statMean.base + r &* groups
    let inv = statInverseStd.base + r &* groups
    var o = 0
    while o < f {
      let mu = means.load8(o / 8)
      let s = inv.load8(o / 8)
      @inline(__always) func sums(_ k: Int) -> (Lanes, Lanes) {
        let c = o &+ 8 &* k
        let xh = (x.load8(c) - mu[k]) * s[k]
        let gc = (ga.load8(c) * xh + be.load8(c)).leakyReLUGradient(dy.load8(c), slope: a)
        g.store8(gc, c)
        xhat.store8(xh, c)
        let gi = gc * ga.load8(c)
        return (Lanes() + gi, Lanes() + gi * xh)
      }
      let (g0, h0) = sums(0), (g1, h1) = sums(1), (g2, h2) = sums(2), (g3, h3) = sums(3)
      let (g4, h4) = sums(4), (g5, h5) = sums(5), (g6, h6) = sums(6), (g7, h7) = sums(7)
      let meanG = fixedSums(g0, g1, g2, g3, g4, g5, g6, g7) * inverseSize
      let meanGXhat = fixedSums(h0, h1, h2, h3, h4, h5, h6, h7) * inverseSize
      @inline(__always) func gradient(_ k: Int) {
        let c = o &+ 8 &* k
        dh.store8(s[k] * (g.load8(c) * ga.load8(c) - meanG[k] - xhat.load8(c) * meanGXhat[k]), c)
      }
      gradient(0); gradient(1); gradient(2); gradient(3)
      gradient(4); gradient(5); gradient(6); gradient(7)
      o &+= 64
    }
  }

  // MARK: Eight rows of one group side by side

  /// Whether one group spans each row in whole ``Lanes`` (layer normalization at the
  /// study's width): then eight rows run side by side. Each row's lane sums are added
  /// as in the row-by-row loops, and their trees are taken for eight rows at once by
  /// ``fixedSums(_:_:_:_:_:_:_:_:)``, so the statistics of eight rows are one vector;
  /// a row's sums no longer wait on the previous row's trees. Rows left over by the
  /// eights take the row-by-row loops.
  private var rowsInEights: Bool { groups == 1 && chunked == size }

  /// The forward pass of the rows `0..<rows` in whole eights; returns the rows done.
  private func forwardRowsInEights(_ block: HiddenBlock, rows: Int, biasPending: Bool) -> Int {
    let (f, inverseSize, eps) = (width, inverseSize, epsilon)
    let a = block.slope
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let sums = laneSums.base
    var r = 0
    while r &+ 8 <= rows {
      if biasPending { block.addBias(rows: r..<(r &+ 8)) }
      let x = UnsafePointer(block.pre.base) + r &* f
      for k in 0..<8 {
        let row = x + k &* f
        var lanes = row.load8(0)
        var c = Lanes.scalarCount
        while c < f {
          lanes += row.load8(c)
          c &+= Lanes.scalarCount
        }
        sums.store8(lanes, 8 &* k)
      }
      let mu = fixedSums(at: sums) * inverseSize
      for k in 0..<8 {
        let row = x + k &* f
        let m = mu[k]
        var squares = Lanes()
        var c = 0
        while c < f {
          let d = row.load8(c) - m
          squares += d * d
          c &+= Lanes.scalarCount
        }
        sums.store8(squares, 8 &* k)
      }
      let s = 1 / (fixedSums(at: sums) * inverseSize + eps).squareRoot()
      statMean.base.store8(mu, r)
      statInverseStd.base.store8(s, r)
      for k in 0..<8 {
        let row = x + k &* f
        let y = block.out.base + (r &+ k) &* f
        let (m, sk) = (mu[k], s[k])
        var c = 0
        while c < f {
          y.store8((ga.load8(c) * ((row.load8(c) - m) * sk) + be.load8(c)).leakyReLU(slope: a), c)
          c &+= Lanes.scalarCount
        }
      }
      r &+= 8
    }
    return r
  }

  /// The backward pass of the rows `0..<rows` in whole eights, parameter gradients
  /// included (row by row, top to bottom); returns the rows done.
  private func backwardRowsInEights(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, rows: Int, input: UnsafePointer<Float>,
    parameterGradients: Bool
  ) -> Int {
    let (f, inverseSize) = (width, inverseSize)
    let step = Lanes.scalarCount
    let a = block.slope
    let ga = UnsafePointer(gamma.value.base)
    let be = UnsafePointer(beta.value.base)
    let sumsG = laneSums.base
    let sumsGXhat = laneSums.base + 8 &* step
    var r = 0
    while r &+ 8 <= rows {
      let mu = statMean.base.load8(r)
      let s = statInverseStd.base.load8(r)
      for k in 0..<8 {
        let x = UnsafePointer(block.pre.base) + (r &+ k) &* f
        let dy = block.upstreamRow(upstream, r &+ k)
        let g = rowGradient.base + k &* f
        let xhat = rowNormalized.base + k &* f
        let (m, sk) = (mu[k], s[k])
        var lanesG = Lanes()
        var lanesGXhat = Lanes()
        var c = 0
        while c < f {
          let xh = (x.load8(c) - m) * sk
          let gc = (ga.load8(c) * xh + be.load8(c)).leakyReLUGradient(dy.load8(c), slope: a)
          g.store8(gc, c)
          xhat.store8(xh, c)
          let gi = gc * ga.load8(c)
          lanesG += gi
          lanesGXhat += gi * xh
          c &+= step
        }
        sumsG.store8(lanesG, 8 &* k)
        sumsGXhat.store8(lanesGXhat, 8 &* k)
      }
      let meanG = fixedSums(at: sumsG) * inverseSize
      let meanGXhat = fixedSums(at: sumsGXhat) * inverseSize
      for k in 0..<8 {
        let g = rowGradient.base + k &* f
        let xhat = rowNormalized.base + k &* f
        let dh = block.gradPre.base + (r &+ k) &* f
        let (sk, mg, mgx) = (s[k], meanG[k], meanGXhat[k])
        var c = 0
        while c < f {
          dh.store8(sk * (g.load8(c) * ga.load8(c) - mg - xhat.load8(c) * mgx), c)
          c &+= step
        }
        if parameterGradients {
          accumulateParameterGradients(g, xhat)
          block.accumulateRow(dh, r &+ k, input)
        }
      }
      r &+= 8
    }
    return r
  }

  func layer() -> (any Layer)? {
    if isLayerNorm {
      var ln = LayerNorm(width: width, epsilon: epsilon)
      ln.gamma = gamma.value.array
      ln.beta = beta.value.array
      return ln
    }
    var gn = GroupNorm(width: width, groups: groups, epsilon: epsilon)
    gn.gamma = gamma.value.array
    gn.beta = beta.value.array
    return gn
  }
}

// The row loops' lane loads, stores and operations, kept in this file: a debug build
// compiles files one by one and would not inline a helper from another file into them.
extension UnsafePointer where Pointee == Float {
  /// The eight floats at `offset` (no alignment needed).
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes {
    UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self)
  }
}

extension UnsafeMutablePointer where Pointee == Float {
  /// The eight floats at `offset` (no alignment needed).
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes {
    UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self)
  }

  /// Writes eight floats at `offset` (no alignment needed).
  @inline(__always)
  fileprivate func store8(_ value: Lanes, _ offset: Int) {
    UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Lanes.self)
  }
}

extension SIMD8 where Scalar == Float {
  /// The sum of the lanes in one fixed order: ((0+4) + (2+6)) + ((1+5) + (3+7)).
  @inline(__always)
  fileprivate var fixedSum: Float {
    let half = lowHalf + highHalf
    let quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
  }

  /// LeakyReLU lane by lane: `v > 0 ? v : slope·v` (NaN stays NaN).
  @inline(__always)
  fileprivate func leakyReLU(slope: Float) -> Self {
    (slope * self).replacing(with: self, where: self .> 0)
  }

  /// `upstream` where `self > 0`, `slope·upstream` elsewhere: LeakyReLU's backward
  /// step at pre-activations `self`.
  @inline(__always)
  fileprivate func leakyReLUGradient(_ upstream: Self, slope: Float) -> Self {
    (slope * upstream).replacing(with: upstream, where: self .> 0)
  }
}

/// ``fixedSums(_:_:_:_:_:_:_:_:)`` of the eight vectors stored one after the other at `p`.
@inline(__always)
private func fixedSums(at p: UnsafeMutablePointer<Float>) -> Lanes {
  fixedSums(p.load8(0), p.load8(8), p.load8(16), p.load8(24), p.load8(32), p.load8(40), p.load8(48), p.load8(56))
}

/// ``SIMD8/fixedSum`` of eight vectors at once, lane k holding `v_k.fixedSum`: each level
/// of the tree adds the same pairs of lanes, for eight vectors in one vector operation.
/// The AVX2 build takes the last two levels with the compiler's intrinsics (in-lane
/// unpacks and one horizontal add), which Swift's lane moves would otherwise spell as
/// chains of `vinsertps` and `vblendps`.
@inline(__always)
private func fixedSums(
  _ v0: Lanes, _ v1: Lanes, _ v2: Lanes, _ v3: Lanes, _ v4: Lanes, _ v5: Lanes, _ v6: Lanes, _ v7: Lanes
) -> Lanes {
  // [a.low + a.high | b.low + b.high]: lanes j + j + 4 of a and of b.
  @inline(__always) func halves(_ a: Lanes, _ b: Lanes) -> Lanes {
    Lanes(lowHalf: a.lowHalf, highHalf: b.lowHalf) + Lanes(lowHalf: a.highHalf, highHalf: b.highHalf)
  }
  #if ENGINE_AVX2
    // Lanes j + j + 2 of the four vectors in p and q: [p₀ q₀ | p₁ q₁], two lanes each.
    @inline(__always) func quarters(_ p: Lanes, _ q: Lanes) -> Lanes {
      let (pd, qd) = (_mm256_castps_pd(p), _mm256_castps_pd(q))
      return _mm256_castpd_ps(_mm256_unpacklo_pd(pd, qd)) + _mm256_castpd_ps(_mm256_unpackhi_pd(pd, qd))
    }
    // [v0 v1 | v4 v5] and [v2 v3 | v6 v7], two lanes each; the horizontal add of
    // adjacent lanes then gives [v0 v1 v2 v3 | v4 v5 v6 v7].
    let q0 = quarters(halves(v0, v4), halves(v1, v5))
    let q1 = quarters(halves(v2, v6), halves(v3, v7))
    return _mm256_hadd_ps(q0, q1)
  #else
    // Lanes (0 + 2, 1 + 3) of each half, for four vectors side by side.
    @inline(__always) func quarters(_ a: Lanes, _ b: Lanes) -> Lanes {
      let low = Lanes(
        lowHalf: SIMD4(lowHalf: a.lowHalf.lowHalf, highHalf: a.highHalf.lowHalf),
        highHalf: SIMD4(lowHalf: b.lowHalf.lowHalf, highHalf: b.highHalf.lowHalf))
      let high = Lanes(
        lowHalf: SIMD4(lowHalf: a.lowHalf.highHalf, highHalf: a.highHalf.highHalf),
        highHalf: SIMD4(lowHalf: b.lowHalf.highHalf, highHalf: b.highHalf.highHalf))
      return low + high
    }
    let q0123 = quarters(halves(v0, v1), halves(v2, v3))
    let q4567 = quarters(halves(v4, v5), halves(v6, v7))
    // The two quarters of each vector.
    return Lanes(lowHalf: q0123.evenHalf, highHalf: q4567.evenHalf)
      + Lanes(lowHalf: q0123.oddHalf, highHalf: q4567.oddHalf)
  #endif
}
