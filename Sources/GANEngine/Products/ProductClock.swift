/// The calls and wall time of the matrix products a training step computes, shape by
/// shape, so that a benchmark can split the step into its products and everything else,
/// and compare each product in the step with the same product alone.
///
/// Work a product hands on while it runs (its `finished` calls: a normalization's first
/// pass over the rows just computed) is not counted as product time. The products of
/// D's and G's first layers (inner dimension 2), which the hidden blocks compute in their
/// own loops, are not counted as products either.
final class ProductClock {
  /// Seconds and calls of each shape, in the order of each shape's first call.
  private(set) var shapes: [(shape: StepCost.GEMM, seconds: Double, calls: Int)] = []
  private var shapeIndex: [StepCost.GEMM: Int] = [:]

  private let clock = ContinuousClock()

  /// Runs `product`, handing it `finished` wrapped so that the time spent there is not
  /// counted, and adds the rest of its wall time to its shape.
  @inline(__always)
  func measure(
    m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, finished: ((Range<Int>) -> Void)?,
    _ product: (_ finished: ((Range<Int>) -> Void)?) -> Void
  ) {
    var handedOn = Duration.zero
    let timedFinished = finished.map { rowsFinished in
      { (rows: Range<Int>) in handedOn += self.clock.measure { rowsFinished(rows) } }
    }
    let total = clock.measure { product(timedFinished) }
    let productSeconds = (total - handedOn).inSeconds
    let shape = StepCost.GEMM(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
    if let i = shapeIndex[shape] {
      shapes[i].seconds += productSeconds
      shapes[i].calls += 1
    } else {
      shapeIndex[shape] = shapes.count
      shapes.append((shape, productSeconds, 1))
    }
  }
}
