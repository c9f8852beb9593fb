import Testing

@testable import GANEngine

/// `Matrix.multiply` (the portable product) against a naive Double reference for every
/// transpose combination and for accumulation. Tolerance 1e-4 relative to
/// Σ|a||b| of each entry: float32 with k ≤ 300 terms stays well inside it.
@Suite struct MatrixProductTests {
  func reference(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> (values: [Double], scale: [Double]) {
    let m = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols, n = tb ? b.rows : b.cols
    var out = [Double](repeating: 0, count: m * n)
    var scale = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        for p in 0..<k {
          let x = Double(ta ? a[p, i] : a[i, p])
          let y = Double(tb ? b[j, p] : b[p, j])
          out[i * n + j] += x * y
          scale[i * n + j] += abs(x * y)
        }
      }
    }
    return (out, scale)
  }

  @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
  func transposeCombinations(_ ta: Bool, _ tb: Bool) {
    for (m, k, n) in [(37, 64, 5), (300, 2, 64), (64, 300, 64), (1, 7, 1), (64, 64, 2)] {
      let aValues = FiniteDifference.values(count: m * k, seed: UInt64(m + k))
      let bValues = FiniteDifference.values(count: k * n, seed: UInt64(k * n))
      let a = ta ? Matrix(rows: k, cols: m, values: aValues) : Matrix(rows: m, cols: k, values: aValues)
      let b = tb ? Matrix(rows: n, cols: k, values: bValues) : Matrix(rows: k, cols: n, values: bValues)
      var c = Matrix(rows: 0, cols: 0)
      Matrix.multiply(a, transposeA: ta, b, transposeB: tb, into: &c)
      let ref = reference(a, ta, b, tb)
      #expect(c.rows == m && c.cols == n)
      var worst = 0.0
      for i in ref.values.indices {
        worst = max(worst, abs(Double(c.values[i]) - ref.values[i]) / max(ref.scale[i], 1e-30))
      }
      #expect(worst < 1e-4, "\(m)×\(k)×\(n) ta=\(ta) tb=\(tb): \(worst)")
      // Accumulation: c += op(a)·op(b).
      let before = c.values
      Matrix.multiply(a, transposeA: ta, b, transposeB: tb, accumulate: true, into: &c)
      for i in ref.values.indices {
        let expected = Double(before[i]) + ref.values[i]
        #expect(abs(Double(c.values[i]) - expected) <= 1e-4 * (ref.scale[i] + abs(Double(before[i]))) + 1e-30)
      }
    }
  }
}

/// The FMA loop behind `report bench`'s peak: it must really run every step.
@Suite struct FMAPeakTests {
  @Test func everyStepOfTheLoopRuns() {
    // 0.5 · 2⁻¹⁰ per step: 10 000 steps add 10 000 · 2⁻¹¹ exactly to each accumulator.
    let sums = FMAPeak.run(iterations: 10_000, start: 3, multiplier: 0.5, addend: 1.0 / 1024)
    #expect(sums.count == FMAPeak.accumulators)
    for (i, lanes) in sums.enumerated() {
      let expected = Float(3 + i) + Float(10_000) / 2048
      #expect(lanes == Lanes(repeating: expected), "accumulator \(i)")
    }
  }

  @Test func theRateIsAPositiveNumberOfGFLOPs() {
    let rate = FMAPeak.rate(iterations: 100_000)
    #expect(rate.isFinite && rate > 0)
  }
}
