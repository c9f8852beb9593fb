import CBLAS

extension Matrix {
  /// `c = alpha · op(a) · op(b) + beta · c`, through single-threaded `cblas_sgemm`.
  ///
  /// `op(x)` is `x` or its transpose. With `beta == 0` the result is reshaped to fit
  /// (its old contents are ignored); otherwise `c` must already have the product's shape.
  ///
  /// ```swift
  /// var y = Matrix(rows: 0, cols: 0)
  /// Matrix.multiply(x, w, into: &y)                        // y = x·w
  /// Matrix.multiply(x, transposeA: true, dy, beta: 1, into: &gw)  // gw += xᵀ·dy
  /// ```
  static func multiply(
    _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0, into c: inout Matrix
  ) {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let kb = transposeB ? b.cols : b.rows
    let n = transposeB ? b.rows : b.cols
    precondition(k == kb, "Matrix.multiply: inner dimensions \(k) and \(kb) differ")
    if beta == 0 {
      c.reshape(rows: m, cols: n)
    } else {
      precondition(
        c.rows == m && c.cols == n,
        "Matrix.multiply: accumulator is \(c.rows)×\(c.cols), product is \(m)×\(n)")
    }
    if m == 0 || n == 0 { return }
    if k == 0 {
      // BLAS would leave c untouched for k == 0 and beta == 0 in some builds; be explicit.
      c.scale(by: beta)
      return
    }
    BLASKernel.ensureSingleThreaded()
    a.values.withUnsafeBufferPointer { pa in
      b.values.withUnsafeBufferPointer { pb in
        c.values.withUnsafeMutableBufferPointer { pc in
          cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            pa.baseAddress, Int32(a.cols), pb.baseAddress, Int32(b.cols),
            beta, pc.baseAddress, Int32(n))
        }
      }
    }
  }

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
