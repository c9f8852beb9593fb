import CBLAS

extension ProductKernel {
  /// `C = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate`, row-major, with
  /// `op(X)` = X or Xᵀ: C is m × n, op(A) m × k, op(B) k × n; `lda`, `ldb` and
  /// `ldc` are the row strides of A, B and C as stored.
  ///
  /// `finished`, when given, is called on ascending row ranges of C that together cover
  /// `0..<m` once, each once its rows are final: during the portable product, as its
  /// tiles finish them; after the whole product with OpenBLAS. `clock`, when given,
  /// adds the product's time and FLOPs (see ``ProductClock``).
  @inline(__always)
  func multiply(
    m: Int, n: Int, k: Int,
    _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
    _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
    into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false,
    finished: ((Range<Int>) -> Void)? = nil, clock: ProductClock? = nil
  ) {
    guard let clock else {
      compute(
        m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
        into: c, ldc: ldc, accumulate: accumulate, finished: finished)
      return
    }
    clock.measure(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, finished: finished) { timedFinished in
      compute(
        m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
        into: c, ldc: ldc, accumulate: accumulate, finished: timedFinished)
    }
  }

  @inline(__always)
  private func compute(
    m: Int, n: Int, k: Int,
    _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
    _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
    into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
    finished: ((Range<Int>) -> Void)?
  ) {
    switch self {
    case .portable:
      PortableProduct(
        m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb, transposeB: transposeB,
        c: c, ldc: ldc, accumulate: accumulate
      ).run(finished: finished)
    case .openblas:
      BLASKernel.ensureSingleThreaded()
      cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), accumulate ? 1 : 0, c, Int32(ldc))
      if m > 0 { finished?(0..<m) }
    }
  }
}
