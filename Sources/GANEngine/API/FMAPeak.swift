/// The rate at which one core runs the engine's vector fused multiply-adds when
/// nothing else limits them: the ceiling of the portable product on this machine,
/// measured at run time for `report bench`.
///
/// The loop keeps twelve independent accumulators of ``Lanes`` (more than an FMA's
/// latency times the FMA units of current x86-64 cores), so only the FMA throughput
/// bounds it. It runs at the engine's vector width: on a CPU with wider vectors the
/// engine's own ceiling, not the CPU's.
public enum FMAPeak {
  /// Accumulators of the loop.
  static let accumulators = 12

  /// GFLOP/s of `iterations` rounds of the loop (2 FLOPs per lane and accumulator).
  ///
  /// ```swift
  /// let rate = FMAPeak.rate(iterations: 20_000_000)  // ≈ 92 on a 2.9 GHz Zen 3 core
  /// ```
  public static func rate(iterations: Int) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let sums = run(iterations: iterations, start: 0, multiplier: 0.5, addend: 1.0 / 1024)
    let elapsed = clock.now - start
    let seconds = elapsed.inSeconds
    // Read the sums so that the loop cannot be dropped.
    precondition(sums.allSatisfy { $0.sum().isFinite }, "FMAPeak: the loop produced a non-finite sum")
    let flops = 2 * Double(iterations) * Double(accumulators * Lanes.scalarCount)
    return flops / max(seconds, 1e-9) / 1e9
  }

  /// Accumulator `i` after `iterations` steps of `acc = fma(multiplier, addend, acc)`,
  /// starting at `start + i`. With `multiplier·addend` a power of two small enough,
  /// every step is exact, so the result is `start + i + iterations·multiplier·addend`
  /// (the tests check that the loop really ran).
  @inline(never)
  static func run(iterations: Int, start: Float, multiplier: Float, addend: Float) -> [Lanes] {
    let m = Lanes(repeating: multiplier)
    let b = Lanes(repeating: addend)
    var a0 = Lanes(repeating: start), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3
    var a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6, a7 = a0 + 7
    var a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
    for _ in 0..<iterations {
      a0 = a0.addingProduct(m, b)
      a1 = a1.addingProduct(m, b)
      a2 = a2.addingProduct(m, b)
      a3 = a3.addingProduct(m, b)
      a4 = a4.addingProduct(m, b)
      a5 = a5.addingProduct(m, b)
      a6 = a6.addingProduct(m, b)
      a7 = a7.addingProduct(m, b)
      a8 = a8.addingProduct(m, b)
      a9 = a9.addingProduct(m, b)
      a10 = a10.addingProduct(m, b)
      a11 = a11.addingProduct(m, b)
    }
    return [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]
  }
}
