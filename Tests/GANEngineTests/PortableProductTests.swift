import Testing

@testable import GANEngine

/// The portable product computes every output element as one chain of fused
/// multiply-adds over the inner dimension in ascending order. These tests compare it
/// *bit for bit* with that chain written out as scalar code, for shapes that reach
/// every tile (4 × 16, 4 × 8, single rows, the column tiles of 64 and 8 rows, the
/// transposed 16- and 8-row tiles and the scalar chains of thin outputs), inner dimensions across block boundaries,
/// accumulation, transposes and padded row strides. Bit equality with a scalar loop
/// is what makes the result independent of the vector width and of tiling.
@Suite struct PortableProductTests {
  /// One product's operands, C's initial contents and strides.
  struct Case: CustomStringConvertible {
    var m: Int, n: Int, k: Int
    var transposeA: Bool, transposeB: Bool, accumulate: Bool
    var pad: Int
    var a: [Float], b: [Float], c: [Float]
    var lda: Int, ldb: Int, ldc: Int

    init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulate: Bool, pad: Int, seed: UInt64) {
      (self.m, self.n, self.k) = (m, n, k)
      (self.transposeA, self.transposeB, self.accumulate, self.pad) = (transposeA, transposeB, accumulate, pad)
      lda = (transposeA ? m : k) + pad
      ldb = (transposeB ? k : n) + pad
      ldc = n + pad
      var rng = RandomStream(seed: seed, stream: 5)
      a = (0..<((transposeA ? k : m) * lda)).map { _ in rng.nextUniform(in: -1, 1) }
      b = (0..<((transposeB ? n : k) * ldb)).map { _ in rng.nextUniform(in: -1, 1) }
      c = (0..<(m * ldc)).map { _ in rng.nextUniform(in: -1, 1) }
    }

    var description: String {
      "\(m)×\(n)×\(k) \(transposeA ? "Aᵀ" : "A")·\(transposeB ? "Bᵀ" : "B")"
        + "\(accumulate ? " +C" : "") pad \(pad)"
    }

    /// The chains written out one element at a time.
    func reference() -> [Float] {
      var out = c
      for i in 0..<m {
        for j in 0..<n {
          var sum: Float = accumulate ? c[i * ldc + j] : 0
          for p in 0..<k {
            let x = transposeA ? a[p * lda + i] : a[i * lda + p]
            let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
            sum = sum.addingProduct(x, y)
          }
          out[i * ldc + j] = sum
        }
      }
      return out
    }

    func computed(_ kernel: ProductKernel, finished: ((Range<Int>, UnsafeMutablePointer<Float>) -> Void)? = nil)
      -> [Float]
    {
      var out = c
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          out.withUnsafeMutableBufferPointer { pc in
            let c = pc.baseAddress!
            kernel.multiply(
              m: m, n: n, k: k, pa.baseAddress!, lda: lda, transposeA: transposeA, pb.baseAddress!, ldb: ldb,
              transposeB: transposeB, into: c, ldc: ldc, accumulate: accumulate,
              finished: finished.map { report in { report($0, c) } })
          }
        }
      }
      return out
    }
  }

  /// The products of the training step at a reduced batch, and shapes around every
  /// tile boundary.
  static let shapes: [(m: Int, n: Int, k: Int)] = [
    (256, 64, 64), (64, 64, 256), (256, 1, 64), (256, 2, 64), (64, 1, 256), (64, 2, 256), (2, 64, 256),
    (256, 64, 2), (256, 64, 1), (1, 1, 1), (3, 5, 7), (5, 17, 63), (7, 24, 65), (9, 31, 129), (67, 9, 130),
    (72, 3, 200), (130, 7, 3), (4, 16, 0), (13, 40, 1), (6, 40, 70), (3, 72, 66), (2, 96, 130), (40, 2, 9),
    // Thin outputs with k a multiple of 8: 16- and 8-row transposed tiles, then scalar chains.
    (203, 1, 64), (91, 2, 16), (8, 1, 8), (27, 3, 8),
  ]

  @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
  func everyElementIsOneFusedChainInOrder(_ transposeA: Bool, _ transposeB: Bool) {
    var seed: UInt64 = 1
    for (m, n, k) in Self.shapes {
      for accumulate in [false, true] {
        for pad in [0, 3] {
          seed += 1
          let test = Case(
            m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: accumulate, pad: pad,
            seed: seed)
          let expected = test.reference()
          let actual = test.computed(.portable)
          let differing = zip(actual, expected).filter { $0.bitPattern != $1.bitPattern }.count
          #expect(differing == 0, "\(test): \(differing) elements differ from the scalar chain")
        }
      }
    }
  }

  @Test func openBLASComputesTheSameProductsToRounding() {
    // Different summation orders: agreement to float rounding of ≤ 256 terms of size ≤ 1.
    var seed: UInt64 = 100
    for (m, n, k) in Self.shapes {
      for (transposeA, transposeB) in [(false, false), (false, true), (true, false)] {
        seed += 1
        let test = Case(
          m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: true, pad: 1, seed: seed)
        let portable = test.computed(.portable)
        let blas = test.computed(.openblas)
        let worst = zip(portable, blas).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4 * Float(max(k, 1)).squareRoot(), "\(test): differs by \(worst)")
      }
    }
  }

  @Test func productsAcrossInnerBlocksMatchOneUnblockedChain() {
    // The inner dimension is walked in blocks of `innerBlock`; the chain must not restart.
    let k = 3 * PortableProduct.innerBlock + 5
    for transposeA in [false, true] {
      let test = Case(m: 8, n: 16, k: k, transposeA: transposeA, transposeB: false, accumulate: false, pad: 0, seed: 7)
      #expect(test.computed(.portable) == test.reference(), "\(test)")
    }
  }

  @Test(arguments: ProductKernel.allCases)
  func finishedRowsAreReportedOnceInOrderWithTheirFinalValues(_ kernel: ProductKernel) {
    // What the fused passes rely on: every row reported once, ranges ascending, and a
    // reported row of C already final (a pass may read and rewrite it at once).
    var seed: UInt64 = 300
    for (m, n, k) in Self.shapes + [(1, 64, 64), (2, 64, 64), (6, 64, 64), (0, 64, 64), (5, 0, 3)] {
      for (transposeA, transposeB) in [(false, false), (false, true), (true, false)] {
        seed += 1
        let test = Case(
          m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: seed % 2 == 0, pad: 1,
          seed: seed)
        var reported: [Range<Int>] = []
        var snapshot = [Float](repeating: .nan, count: m * test.ldc)
        let final = test.computed(kernel) { rows, c in
          reported.append(rows)
          for i in rows {
            for j in 0..<n { snapshot[i * test.ldc + j] = c[i * test.ldc + j] }
          }
        }
        let covered = reported.flatMap { Array($0) }
        #expect(covered == Array(0..<m), "\(test): rows reported as \(reported)")
        var stale = 0
        for i in 0..<m {
          for j in 0..<n where snapshot[i * test.ldc + j].bitPattern != final[i * test.ldc + j].bitPattern {
            stale += 1
          }
        }
        #expect(stale == 0, "\(test): \(stale) elements changed after their row was reported")
      }
    }
  }
}
