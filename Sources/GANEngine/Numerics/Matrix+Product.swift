extension Matrix {
  /// `c = op(a) · op(b)`, or `c += op(a) · op(b)` when `accumulate`, through the
  /// portable product (``ProductKernel/portable``), so the reference layers give the
  /// same bits on every CPU.
  ///
  /// `op(x)` is `x` or its transpose. Without `accumulate` the result is reshaped to
  /// fit (its old contents are ignored); with it, `c` must already have the product's shape.
  ///
  /// ```swift
  /// var y = Matrix(rows: 0, cols: 0)
  /// Matrix.multiply(x, w, into: &y)                                   // y = x·w
  /// Matrix.multiply(x, transposeA: true, dy, accumulate: true, into: &gw)  // gw += xᵀ·dy
  /// ```
  static func multiply(
    _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
    accumulate: Bool = false, into c: inout Matrix
  ) {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let kb = transposeB ? b.cols : b.rows
    let n = transposeB ? b.rows : b.cols
    precondition(k == kb, "Matrix.multiply: inner dimensions \(k) and \(kb) differ")
    if accumulate {
      precondition(
        c.rows == m && c.cols == n,
        "Matrix.multiply: accumulator is \(c.rows)×\(c.cols), product is \(m)×\(n)")
    } else {
      c.reshape(rows: m, cols: n)
    }
    if m == 0 || n == 0 { return }
    if k == 0 {
      // An empty sum: the operands are empty arrays (without storage).
      if !accumulate { c.scale(by: 0) }
      return
    }
    let (lda, ldb) = (a.cols, b.cols)
    a.values.withUnsafeBufferPointer { pa in
      b.values.withUnsafeBufferPointer { pb in
        c.values.withUnsafeMutableBufferPointer { pc in
          guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
          ProductKernel.portable.multiply(
            m: m, n: n, k: k, pa, lda: lda, transposeA: transposeA, pb, ldb: ldb, transposeB: transposeB,
            into: pc, ldc: n, accumulate: accumulate)
        }
      }
    }
  }
}

extension Matrix {
  /// Multiplies every element by `factor` (0 sets them to 0, even NaN ones).
  mutating func scale(by factor: Float) {
    values.withUnsafeMutableBufferPointer { p in
      if factor == 0 {
        for i in p.indices { p[i] = 0 }
      } else {
        for i in p.indices { p[i] *= factor }
      }
    }
  }
}
