/// The matrix products one training step performs, for FLOP counts and benchmarks.
///
/// Mirrors ``TrainingSession``'s step (shared passes, stacked batches of 2n rows for
/// D): G forward; D's first linear map once over fakes and reals; the G step's own
/// pass through D when it cannot be shared; D's forward and full backward over the
/// stacked batch (plus input gradients of the fake rows for G); a second, input-only
/// backward pass for joint batches with G mode `joint` and BatchNorm; G's backward.
/// (The inference-mode forward pass of a D with BatchNorm runs only every 10th step,
/// see ``RunResult/Curves/inferenceLossSteps(upTo:)``, and is left out.) Products with an inner
/// dimension k or a row count m of 1 or 2 are computed by the layers' own loops, not by the
/// product kernel, but are listed (and benchmarked like the others).
public enum StepCost {
  /// One product: C (m × n) = op(A) (m × k) · op(B) (k × n).
  public struct GEMM: Hashable, Sendable {
    /// Rows of C.
    public var m: Int
    /// Columns of C.
    public var n: Int
    /// The inner dimension.
    public var k: Int
    /// Whether A is stored transposed (k × m).
    public var transposeA: Bool
    /// Whether B is stored transposed (n × k).
    public var transposeB: Bool

    /// C (m × n) = op(A) (m × k) · op(B) (k × n).
    public init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
      (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
    }
    /// 2·m·n·k.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
  }

  /// The products of one step of `config`, in execution order.
  public static func gemms(for config: ExperimentConfig) -> [GEMM] {
    let n = config.batchSize
    let w = config.width
    var out: [GEMM] = []
    func product(_ m: Int, _ n: Int, _ k: Int, _ ta: Bool = false, _ tb: Bool = false) {
      out.append(GEMM(m: m, n: n, k: k, transposeA: ta, transposeB: tb))
    }
    /// D's forward after the first linear map (hidden w×w, output w×1).
    func discriminatorForward(rows: Int) {
      product(rows, w, w)
      product(rows, 1, w)
    }
    /// D's backward: output input-gradient (k = 1), hidden, first layer.
    func discriminatorBackward(rows: Int, parameters: Bool, inputRows: Int) {
      if parameters { product(w, 1, rows, true) }
      product(rows, w, 1, false, true)
      if parameters { product(w, w, rows, true) }
      product(rows, w, w, false, true)
      if parameters { product(2, w, rows, true) }
      if inputRows > 0 { product(inputRows, 2, w, false, true) }
    }
    let hasBatchNorm = config.norm == .batch
    let path = TrainingSession.generatorPath(config, hasBatchNorm: hasBatchNorm)
    // G forward.
    product(n, w, 2)
    product(n, w, w)
    product(n, 2, w)
    // D's first linear map, shared by every pass.
    product(2 * n, w, 2)
    if path == .separate {
      let rows = config.gMode == .joint ? 2 * n : n
      discriminatorForward(rows: rows)
      discriminatorBackward(rows: rows, parameters: false, inputRows: n)
    }
    discriminatorForward(rows: 2 * n)
    discriminatorBackward(rows: 2 * n, parameters: true, inputRows: path == .sharedScaled ? n : 0)
    if path == .sharedForward {
      discriminatorBackward(rows: 2 * n, parameters: false, inputRows: n)
    }
    // G backward.
    product(w, 2, n, true)
    product(n, w, 2, false, true)
    product(w, w, n, true)
    product(n, w, w, false, true)
    product(2, w, n, true)
    return out
  }

  /// Total floating-point operations of the step's products.
  public static func flops(for config: ExperimentConfig) -> Double {
    gemms(for: config).reduce(0) { $0 + $1.flops }
  }

  /// Seconds per call of one product `shape` with `library` on fixed data: the mean
  /// of `repetitions` calls after one warm-up call.
  ///
  /// ```swift
  /// let shape = StepCost.GEMM(m: 2048, n: 64, k: 64)
  /// let gflops = shape.flops / StepCost.timeGEMM(shape, library: .openblas, repetitions: 200) / 1e9
  /// ```
  public static func timeGEMM(_ shape: GEMM, library: GEMMLibrary, repetitions: Int) -> Double {
    time([shape], library: library, repetitions: repetitions)
  }

  /// Mean seconds per pass over `shapes` (each product once), after one warm-up pass.
  private static func time(_ shapes: [GEMM], library: GEMMLibrary, repetitions: Int) -> Double {
    precondition(repetitions >= 1, "StepCost: repetitions must be positive")
    precondition(library.isAvailable, "StepCost: \(library.rawValue) is not installed")
    var rng = RandomStream(seed: 1, stream: 99)
    let operands = shapes.map { s -> (FloatBuffer, FloatBuffer, FloatBuffer) in
      (
        FloatBuffer((0..<(s.m * s.k)).map { _ in rng.nextUniform(in: -1, 1) }),
        FloatBuffer((0..<(s.k * s.n)).map { _ in rng.nextUniform(in: -1, 1) }),
        FloatBuffer(count: s.m * s.n)
      )
    }
    func once() {
      for (s, (a, b, c)) in zip(shapes, operands) {
        library.multiply(s, a.base, b.base, c.base)
      }
    }
    once()
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<repetitions { once() }
    let elapsed = clock.now - start
    let seconds = elapsed.inSeconds
    return seconds / Double(repetitions)
  }
}

/// A library that computes products, for `report bench`.
public enum GEMMLibrary: String, CaseIterable, Sendable {
  /// The engine's portable product (``ProductKernel/portable``).
  case portable
  /// OpenBLAS' sgemm on the core this process loaded.
  case openblas
  /// BLIS' sgemm, when `libblis.so.4` is installed (loaded at run time).
  case blis

  /// Whether the library can be used in this process.
  public var isAvailable: Bool { self != .blis || BLISLibrary.loaded != nil }

  /// `portable`, `OpenBLAS Zen`, `BLIS 0.9.0`.
  public var name: String {
    switch self {
    case .portable: return "portable"
    case .openblas: return "OpenBLAS \(BLASKernel.coreName)"
    case .blis: return BLISLibrary.loaded?.version ?? "BLIS (not installed)"
    }
  }

  /// C = op(A)·op(B) for `shape`, with A, B and C packed (leading dimensions = widths).
  func multiply(
    _ shape: StepCost.GEMM, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>
  ) {
    let lda = shape.transposeA ? shape.m : shape.k
    let ldb = shape.transposeB ? shape.k : shape.n
    switch self {
    case .portable, .openblas:
      (self == .portable ? ProductKernel.portable : .openblas).multiply(
        m: shape.m, n: shape.n, k: shape.k, a, lda: lda, transposeA: shape.transposeA, b, ldb: ldb,
        transposeB: shape.transposeB, into: c, ldc: shape.n)
    case .blis:
      guard let sgemm = BLISLibrary.loaded?.sgemm else { return }
      // CBLAS constants: row-major 101, no transpose 111, transpose 112.
      sgemm(
        101, shape.transposeA ? 112 : 111, shape.transposeB ? 112 : 111, Int32(shape.m), Int32(shape.n),
        Int32(shape.k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(shape.n))
    }
  }
}
