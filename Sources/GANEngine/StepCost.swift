/// The matrix products one training step performs, for FLOP counts and benchmarks.
///
/// Mirrors ``Trainer``'s step: G forward (3 products) and backward (dW and dX per
/// layer); D forward and input-gradient backward in the G step; D forward and full
/// backward for each D-step pass; D forward passes in inference mode for the
/// inference-mode loss when D has BatchNorm.
public enum StepCost {
  /// One `cblas_sgemm` call: C (m × n) = op(A) (m × k) · op(B) (k × n).
  public struct GEMM: Hashable, Sendable {
    public var m: Int
    public var n: Int
    public var k: Int
    public var transposeA: Bool
    public var transposeB: Bool
    /// 2·m·n·k.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
  }

  /// The products of one step of `config`, in execution order.
  public static func gemms(for config: ExperimentConfig) -> [GEMM] {
    let n = config.batchSize
    let w = config.width
    let generatorShapes = [(2, w), (w, w), (w, 2)]
    let discriminatorShapes = [(2, w), (w, w), (w, 1)]
    var out: [GEMM] = []
    func forward(_ shapes: [(Int, Int)], rows: Int) {
      for (i, o) in shapes { out.append(GEMM(m: rows, n: o, k: i, transposeA: false, transposeB: false)) }
    }
    func backward(_ shapes: [(Int, Int)], rows: Int, parameters: Bool) {
      for (i, o) in shapes.reversed() {
        if parameters { out.append(GEMM(m: i, n: o, k: rows, transposeA: true, transposeB: false)) }
        out.append(GEMM(m: rows, n: i, k: o, transposeA: false, transposeB: true))
      }
    }
    let hasBatchNorm = config.norm == .batch
    // G step.
    forward(generatorShapes, rows: n)
    let gRows = config.gMode == .joint ? 2 * n : n
    forward(discriminatorShapes, rows: gRows)
    backward(discriminatorShapes, rows: gRows, parameters: false)
    backward(generatorShapes, rows: n, parameters: true)
    // D step.
    switch config.dBatches {
    case .split:
      for _ in 0..<2 {
        forward(discriminatorShapes, rows: n)
        backward(discriminatorShapes, rows: n, parameters: true)
      }
      if hasBatchNorm {
        forward(discriminatorShapes, rows: n)
        forward(discriminatorShapes, rows: n)
      }
    case .joint:
      forward(discriminatorShapes, rows: 2 * n)
      backward(discriminatorShapes, rows: 2 * n, parameters: true)
      if hasBatchNorm { forward(discriminatorShapes, rows: 2 * n) }
    }
    return out
  }

  /// Total floating-point operations of the step's products.
  public static func flops(for config: ExperimentConfig) -> Double {
    gemms(for: config).reduce(0) { $0 + $1.flops }
  }

  /// Seconds per step spent in the step's products alone: runs the same
  /// `cblas_sgemm` shapes on fixed data `repetitions` times (after one warm-up) and
  /// returns the mean time per repetition.
  public static func timeGEMMs(for config: ExperimentConfig, repetitions: Int) -> Double {
    precondition(repetitions >= 1, "StepCost.timeGEMMs: repetitions must be positive")
    let shapes = gemms(for: config)
    var rng = RandomStream(seed: 1, stream: 99)
    var operands: [(Matrix, Matrix)] = []
    for s in shapes {
      let a = Matrix(rows: s.transposeA ? s.k : s.m, cols: s.transposeA ? s.m : s.k,
                     values: (0..<(s.m * s.k)).map { _ in rng.nextUniform(in: -1, 1) })
      let b = Matrix(rows: s.transposeB ? s.n : s.k, cols: s.transposeB ? s.k : s.n,
                     values: (0..<(s.k * s.n)).map { _ in rng.nextUniform(in: -1, 1) })
      operands.append((a, b))
    }
    var outputs = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: shapes.count)
    func once() {
      for i in shapes.indices {
        Matrix.multiply(operands[i].0, transposeA: shapes[i].transposeA,
                        operands[i].1, transposeB: shapes[i].transposeB, into: &outputs[i])
      }
    }
    once()
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<repetitions { once() }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return seconds / Double(repetitions)
  }
}
