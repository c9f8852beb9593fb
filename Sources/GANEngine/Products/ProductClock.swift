/// The wall time and FLOPs of the matrix products a training step computes, so that a
/// benchmark can split the step into its products and everything else.
///
/// Work a product hands on while it runs (its `finished` calls: a normalization's first
/// pass over the rows just computed) is not counted as product time. The products of
/// D's and G's first layers (inner dimension 2), which the hidden blocks compute in their
/// own loops, are not counted as products either.
final class ProductClock {
  /// Seconds spent in products.
  private(set) var seconds: Double = 0
  /// FLOPs (2·m·n·k per product) of the products timed.
  private(set) var flops: Double = 0
  /// Products timed.
  private(set) var products = 0

  private let clock = ContinuousClock()

  /// Runs `product`, handing it `finished` wrapped so that the time spent there is not
  /// counted, and adds the rest of its wall time and its FLOPs.
  @inline(__always)
  func measure(
    m: Int, n: Int, k: Int, finished: ((Range<Int>) -> Void)?,
    _ product: (_ finished: ((Range<Int>) -> Void)?) -> Void
  ) {
    var handedOn = Duration.zero
    let timedFinished = finished.map { rowsFinished in
      { (rows: Range<Int>) in handedOn += self.clock.measure { rowsFinished(rows) } }
    }
    let total = clock.measure { product(timedFinished) }
    seconds += (total - handedOn).inSeconds
    flops += 2 * Double(m) * Double(n) * Double(k)
    products += 1
  }
}
