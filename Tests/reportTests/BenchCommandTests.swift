import GANEngine
import Testing

@testable import report

/// `report bench`'s setup (its timings are measured by running it, not tested).
@Suite struct BenchCommandTests {
  @Test func protocolsCoverEveryNormalizationAtFullSize() {
    let protocols = BenchCommand.protocols(steps: 7)
    #expect(Set(protocols.map(\.config.norm)) == Set(ExperimentConfig.Norm.allCases))
    #expect(protocols.allSatisfy { $0.config.steps == 7 && $0.config.batchSize == 2048 })
    // The floor's reference product is one the BN split step really runs.
    let bn = protocols.first { $0.name == "BN split" }?.config ?? ExperimentConfig()
    #expect(StepCost.gemms(for: bn).contains(StepCost.GEMM(m: 2048, n: 64, k: 64)))
  }

  @Test func shapesAreNamedAndOrderedByCost() {
    let big = StepCost.GEMM(m: 2048, n: 64, k: 64, transposeB: true)
    let thin = StepCost.GEMM(m: 4096, n: 1, k: 64)
    #expect(BenchCommand.describe(big) == "2048×64×64  A·Bᵀ")
    #expect(BenchCommand.describe(StepCost.GEMM(m: 64, n: 2, k: 2048, transposeA: true)) == "64×2×2048   Aᵀ·B")
    #expect(BenchCommand.order(big, thin) && !BenchCommand.order(thin, big))
  }

  @Test func ratiosPairMeasurementsOfTheSameRound() {
    #expect(BenchCommand.ratios([4, 9, 5], [2, 3, 0]) == [2, 3])
    #expect(BenchCommand.ratios([1, 2], [4]) == [0.25])
    #expect(BenchCommand.Spread(BenchCommand.ratios([3, 8, 1], [1, 2, 1])).text("%.1f") == "3.0 [1.0–4.0]")
  }

  @Test func badCountsAreRejected() {
    #expect(throws: (any Error).self) { try BenchCommand.parse(["--steps", "0"]) }
    #expect(throws: (any Error).self) { try BenchCommand.parse(["--repetitions", "0"]) }
  }
}
