// Row-wise kernels. Index arithmetic uses wrapping operators (`&+`, `&*`) and
// pointers so that the optimizer can vectorize the loops over columns; every
// reduction runs over rows top to bottom, a fixed order.

extension Matrix {
  /// Adds `vector` (one entry per column) to every row.
  mutating func addRowVector(_ vector: [Float]) {
    precondition(vector.count == cols, "addRowVector: \(vector.count) entries for \(cols) columns")
    let (n, f) = (rows, cols)
    values.withUnsafeMutableBufferPointer { p in
      vector.withUnsafeBufferPointer { v in
        guard var row = p.baseAddress, let vb = v.baseAddress else { return }
        for _ in 0..<n {
          for c in 0..<f { row[c] += vb[c] }
          row += f
        }
      }
    }
  }

  /// Adds the sum of each column (rows summed top to bottom) to `sums`.
  func addColumnSums(to sums: inout [Float]) {
    precondition(sums.count == cols, "addColumnSums: \(sums.count) entries for \(cols) columns")
    let (n, f) = (rows, cols)
    values.withUnsafeBufferPointer { p in
      sums.withUnsafeMutableBufferPointer { s in
        guard var row = p.baseAddress, let sb = s.baseAddress else { return }
        for _ in 0..<n {
          for c in 0..<f { sb[c] += row[c] }
          row += f
        }
      }
    }
  }

  /// Per-column mean and biased variance (two passes, rows summed top to bottom).
  func columnMoments() -> (mean: [Float], variance: [Float]) {
    var mean = [Float](repeating: 0, count: cols)
    var variance = [Float](repeating: 0, count: cols)
    columnMoments(mean: &mean, variance: &variance)
    return (mean, variance)
  }

  /// Per-column mean and biased variance into existing arrays of `cols` entries.
  func columnMoments(mean: inout [Float], variance: inout [Float]) {
    let (n, f) = (rows, cols)
    precondition(n > 0, "columnMoments: empty batch")
    precondition(mean.count == f && variance.count == f, "columnMoments: wrong output sizes")
    let inverseCount = 1 / Float(n)
    values.withUnsafeBufferPointer { p in
      mean.withUnsafeMutableBufferPointer { mp in
        variance.withUnsafeMutableBufferPointer { vp in
          guard let x = p.baseAddress, let m = mp.baseAddress, let v = vp.baseAddress else { return }
          for c in 0..<f { m[c] = 0; v[c] = 0 }
          var row = x
          for _ in 0..<n {
            for c in 0..<f { m[c] += row[c] }
            row += f
          }
          for c in 0..<f { m[c] *= inverseCount }
          row = x
          for _ in 0..<n {
            for c in 0..<f {
              let d = row[c] - m[c]
              v[c] += d * d
            }
            row += f
          }
          for c in 0..<f { v[c] *= inverseCount }
        }
      }
    }
  }
}
