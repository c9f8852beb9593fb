import Foundation
import Testing

@testable import GANEngine

/// Cases with answers worked out by hand (or by a few lines of Double arithmetic).
@Suite struct ClosedFormTests {
  // MARK: - BatchNorm moving statistics

  @Test func batchNormMovingStatisticsFollowEveryTrainingCall() {
    var bn = BatchNorm(width: 2, momentum: 0.9, epsilon: 1e-3)
    let a = Matrix(rows: 4, cols: 2, values: [1, 10, 2, 20, 3, 30, 6, 40])
    let b = Matrix(rows: 2, cols: 2, values: [0, 1, 4, 3])
    // Column means / biased variances: a: (3, 25), (3.5, 125); b: (2, 2), (4, 1).
    _ = bn.forward(a, mode: .training)
    #expect(bn.lastBatchMean == [3, 25])
    #expect(bn.lastBatchVariance == [3.5, 125])
    _ = bn.forward(b, mode: .inference)  // no update
    _ = bn.forward(b, mode: .training)
    let expectedMean: [Double] = [(0.9 * 0.3 + 0.1 * 2), (0.9 * 2.5 + 0.1 * 2)]
    let expectedVariance: [Double] = [0.9 * (0.9 + 0.35) + 0.1 * 4, 0.9 * (0.9 + 12.5) + 0.1 * 1]
    for c in 0..<2 {
      #expect(abs(Double(bn.movingMean[c]) - expectedMean[c]) < 1e-5)
      #expect(abs(Double(bn.movingVariance[c]) - expectedVariance[c]) < 1e-4)
    }
  }

  @Test func batchNormInferenceNormalizesWithMovingStatistics() {
    var bn = BatchNorm(width: 1, epsilon: 1e-3)
    bn.movingMean = [2]
    bn.movingVariance = [4]
    bn.gamma = [3]
    bn.beta = [1]
    let y = bn.forward(Matrix(rows: 2, cols: 1, values: [2, 6]), mode: .inference)
    #expect(abs(Double(y.values[0]) - 1) < 1e-6)
    #expect(abs(Double(y.values[1]) - (1 + 3 * 4 / (4.001).squareRoot())) < 1e-5)
    #expect(bn.movingMean == [2] && bn.movingVariance == [4])
  }

  // MARK: - Adam

  @Test func adamMatchesKerasFormulaByHand() {
    var p: [Float] = [1, -2]
    var state = Adam.State(count: 2)
    let adam = Adam(learningRate: 0.1)
    let grads: [[Float]] = [[0.5, -1], [0.25, 2]]
    // By hand, in Double: m, v, then θ −= α·m/(sqrt(v) + ε), α = lr·sqrt(1−β2ᵗ)/(1−β1ᵗ).
    var m = [0.0, 0.0], v = [0.0, 0.0], theta = [1.0, -2.0]
    var afterFirstStep: [Float] = []
    for (t, g) in grads.enumerated() {
      Adam.apply(parameter: &p, gradient: g, state: &state, alpha: adam.alpha(step: t + 1),
                 beta1: 0.9, beta2: 0.999, epsilon: 1e-7)
      if t == 0 { afterFirstStep = p }
      let alpha = 0.1 * (1 - pow(0.999, Double(t + 1))).squareRoot() / (1 - pow(0.9, Double(t + 1)))
      for i in 0..<2 {
        m[i] += (Double(g[i]) - m[i]) * 0.1
        v[i] += (Double(g[i]) * Double(g[i]) - v[i]) * 0.001
        theta[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
      }
    }
    for i in 0..<2 { #expect(abs(Double(p[i]) - theta[i]) < 1e-6) }
    // The engine's first step moves each parameter by lr (= 0.1) against the sign of
    // its gradient (m/√v = sign(g) up to ε, bias correction included): 1 → 0.9 and
    // −2 → −1.9. ε/(√v) shortens the step by about 6e-6 relative; 1e-5 leaves room.
    #expect(abs(afterFirstStep[0] - 0.9) < 1e-5 && abs(afterFirstStep[1] + 1.9) < 1e-5, "\(afterFirstStep)")
  }

  @Test func adamFirstStepIsLearningRateTimesSign() {
    var model = Sequential([Dense(weight: Matrix(rows: 1, cols: 1, values: [3]), bias: [0])])
    let x = Matrix(rows: 1, cols: 1, values: [2])
    _ = model.forward(x, mode: .training)
    _ = model.backward(Matrix(rows: 1, cols: 1, values: [-5]))  // dW = −10, db = −5
    var adam = Adam()
    adam.update(&model)
    let dense = model.layers[0] as? Dense
    // |m̂/sqrt(v̂)| = 1 on the first step, so each parameter moves by lr·g/(|g| + ε·…).
    #expect(abs(Double(dense?.weight.values[0] ?? 0) - 3.001) < 1e-6)
    #expect(abs(Double(dense?.bias[0] ?? 0) - 0.001) < 1e-6)
  }

  // MARK: - Loss, demo, metrics

  @Test func binaryCrossEntropyKnownValues() {
    #expect(abs(Double(BinaryCrossEntropy.loss(logits: [0, 0], labels: [0, 1])) - log(2.0)) < 1e-7)
    // Large logits stay finite: BCE(1, −100) = 100 + log(1 + e^−100).
    #expect(abs(BinaryCrossEntropy.loss(logits: [-100], label: 1) - 100) < 1e-4)
    #expect(BinaryCrossEntropy.loss(logits: [100], label: 1) < 1e-30)
    #expect(BinaryCrossEntropy.sigmoid(-200) == 0 && BinaryCrossEntropy.sigmoid(200) == 1)
  }

  @Test func normalizationDemoReproducesTheStudy() {
    let demo = NormalizationDemo.normalize([[0.5, 1.5], [6, 8]])
    #expect(demo.separately == [[-1, 1], [-1, 1]])
    let expected: [Float] = [-1.128, -0.806, 0.645, 1.289]
    for i in 0..<4 { #expect(abs(demo.jointly[i] - expected[i]) < 5e-4) }
    // Keras' ε = 1e-3 gives ±0.998 for the pairs, the same joint values to 3 decimals.
    let keras = NormalizationDemo.normalize([[0.5, 1.5], [6, 8]], epsilon: 1e-3)
    #expect(abs(keras.separately[0][0] + 0.998) < 5e-4)
    for i in 0..<4 { #expect(abs(keras.jointly[i] - expected[i]) < 5e-4) }
  }

  @Test func energyDistanceClosedForms() {
    #expect(SampleMetrics.energyDistance([0, 0], [3, 4]) == 10)  // 2·5 − 0 − 0
    let points: [Float] = [0, 0, 1, 0, 0, 2, -1, 1]
    #expect(SampleMetrics.energyDistance(points, points) == 0)
    // {0} vs {(−1,0), (1,0)}: 2·1 − 0 − (0 + 2 + 2 + 0)/4 = 1.
    #expect(abs(SampleMetrics.energyDistance([0, 0], [-1, 0, 1, 0]) - 1) < 1e-6)
  }

  @Test func momentsAreBiased() {
    let (mean, std) = SampleMetrics.moments([0, 1, 2, 3])  // x: 0, 2; y: 1, 3
    #expect(mean == [1, 2])
    #expect(std == [1, 1])
  }

  @Test func unionStatisticsMatchDirectComputation() {
    let a = Matrix(rows: 3, cols: 2, values: [1, 0, 2, 5, 4, 1])
    let b = Matrix(rows: 3, cols: 2, values: [7, 2, -1, 2, 3, 8])
    let union = TrainingSession.unionStatistics(a.columnMoments(), b.columnMoments())
    let direct = Matrix.stacked(a, b).columnMoments()
    for c in 0..<2 {
      #expect(abs(union.mean[c] - direct.mean[c]) < 1e-5)
      #expect(abs(union.variance[c] - direct.variance[c]) < 1e-4)
    }
  }
}
