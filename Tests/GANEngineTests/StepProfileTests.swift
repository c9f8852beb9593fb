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
