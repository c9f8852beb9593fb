import Testing

@testable import GANEngine

/// ``Trainer/runProfiled(progress:)``: the same run, with its products timed inside the
/// step. The products it times are checked against ``StepCost``'s list of the step's
/// products, an independent description of the protocol.
@Suite struct StepProfileTests {
  static func config(_ norm: ExperimentConfig.Norm) -> ExperimentConfig {
    var config = TrainerTests.small { $0.norm = norm }
    config.steps = 20
    return config
  }

  /// The products that go through the product kernel: the others (the first layers'
  /// maps with inner dimension 2, their weight gradients with 2 rows, and the input
  /// gradients of the output layers, which the block below forms row by row) are the
  /// layers' own loops.
  static func kernelProducts(_ config: ExperimentConfig) -> [StepCost.GEMM] {
    StepCost.gemms(for: config).filter { $0.k > 2 && $0.m > 2 }
  }

  @Test func profiledRunGivesTheSameBits() {
    for norm in [ExperimentConfig.Norm.none, .batch, .group] {
      let config = Self.config(norm)
      let plain = TrainerTests.reproducible(Trainer(config: config).run())
      let (profiled, profile) = Trainer(config: config).runProfiled()
      #expect(TrainerTests.reproducible(profiled) == plain, "\(norm)")
      #expect(profile.productMilliseconds > 0 && profile.productMilliseconds < profile.stepMilliseconds, "\(norm)")
      #expect(profile.otherMilliseconds > 0 && profile.productRate > 0, "\(norm)")
    }
  }

  @Test func everyProductOfTheStepIsTimed() {
    let config = Self.config(.none)
    let expected = Self.kernelProducts(config)
    let profile = Trainer(config: config).runProfiled().profile
    #expect(profile.productsPerStep == Double(expected.count))
    let mflop = expected.reduce(0) { $0 + $1.flops } / 1e6
    #expect(abs(profile.productMFLOP - mflop) <= 1e-9 * mflop)
  }

  /// Calls per step of each shape in `gemms`.
  static func calls(_ gemms: [StepCost.GEMM]) -> [StepCost.GEMM: Double] {
    gemms.reduce(into: [:]) { $0[$1, default: 0] += 1 }
  }

  @Test(arguments: [ExperimentConfig.Norm.none, .batch, .layer])
  func eachShapeIsTimedAsOftenAsTheStepCallsIt(_ norm: ExperimentConfig.Norm) {
    var config = Self.config(norm)
    if norm == .batch { config.dBatches = .joint }
    let profile = Trainer(config: config).runProfiled().profile
    var expected = Self.calls(Self.kernelProducts(config))
    if norm == .batch {
      // D's inference-mode pass every 10th step (see below).
      let rows = 2 * config.batchSize
      expected[StepCost.GEMM(m: rows, n: config.width, k: config.width), default: 0] += 0.1
      expected[StepCost.GEMM(m: rows, n: 1, k: config.width), default: 0] += 0.1
    }
    let timed = Dictionary(uniqueKeysWithValues: profile.shapes.map { ($0.shape, $0.callsPerStep) })
    #expect(timed.count == profile.shapes.count, "each shape is listed once")
    #expect(Set(timed.keys) == Set(expected.keys), "\(norm)")
    for (shape, calls) in expected {
      #expect(abs((timed[shape] ?? 0) - calls) <= 1e-12, "\(norm) \(shape)")
    }
    // The shapes' times add up to the products' time, and their rates to its FLOPs.
    let milliseconds = profile.shapes.reduce(0) { $0 + $1.milliseconds }
    #expect(abs(milliseconds - profile.productMilliseconds) <= 1e-9 * profile.productMilliseconds)
    let mflop = profile.shapes.reduce(0) { $0 + $1.rate * $1.milliseconds }
    #expect(abs(mflop - profile.productMFLOP) <= 1e-9 * profile.productMFLOP)
    #expect(profile.shapes.allSatisfy { $0.milliseconds > 0 && $0.rate > 0 })
    // Listed in the order the step first calls them: G's forward comes first.
    let first = StepCost.gemms(for: config).first { $0.k > 2 && $0.m > 2 }
    #expect(profile.shapes.first?.shape == first, "\(norm)")
  }

  @Test func batchNormAddsTheInferencePassEveryTenthStep() {
    let config = Self.config(.batch)
    let expected = Self.kernelProducts(config)
    let profile = Trainer(config: config).runProfiled().profile
    // D's inference-mode pass over the stacked batch (its hidden and output products),
    // at steps 10 and 20 of 20.
    let rows = 2 * config.batchSize
    let pass = [StepCost.GEMM(m: rows, n: config.width, k: config.width), StepCost.GEMM(m: rows, n: 1, k: config.width)]
    let perStep = Double(config.steps / 10) / Double(config.steps)
    #expect(profile.productsPerStep == Double(expected.count) + perStep * Double(pass.count))
    let mflop = (expected.reduce(0) { $0 + $1.flops } + perStep * pass.reduce(0) { $0 + $1.flops }) / 1e6
    #expect(abs(profile.productMFLOP - mflop) <= 1e-9 * mflop)
  }
}
