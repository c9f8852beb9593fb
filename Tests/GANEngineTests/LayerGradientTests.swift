import Testing

@testable import GANEngine

/// Finite-difference checks of every layer's backward pass, in both modes.
///
/// Probe loss L = Σ w·y for fixed random w, so dL/dy = w. Tolerance per element:
/// |analytic − numeric| ≤ 2e-3 + 1e-2·|numeric| (see ``FiniteDifference`` for the
/// error budget of float32 central differences with h = 1e-2).
@Suite struct LayerGradientTests {
  static let step: Float = 1e-2
  static let absolute = 2e-3
  static let relative = 1e-2

  /// Checks dL/dx and dL/dθ of `layer` at `input` in `mode`.
  func check<L: Layer>(_ layer: L, input: Matrix, mode: Mode, seed: UInt64 = 5) {
    let w = FiniteDifference.values(count: input.rows * layer.outputWidth, seed: seed)
    var analyticLayer = layer
    let y = analyticLayer.forward(input, mode: mode)
    let dy = Matrix(rows: y.rows, cols: y.cols, values: w)
    let dx = analyticLayer.backward(dy, input: input)
    let numericDx = FiniteDifference.gradient(at: input.values, step: Self.step) { values in
      var copy = layer
      return FiniteDifference.weightedSum(
        copy.forward(Matrix(rows: input.rows, cols: input.cols, values: values), mode: mode), w)
    }
    let inputRatio = FiniteDifference.worstRatio(dx.values, numericDx, absolute: Self.absolute, relative: Self.relative)
    #expect(inputRatio <= 1, "input gradient of \(L.self) in \(mode): worst ratio \(inputRatio)")

    let parameters = FiniteDifference.tensors(of: layer, gradients: false)
    let gradients = FiniteDifference.tensors(of: analyticLayer, gradients: true)
    for t in parameters.indices {
      let numeric = FiniteDifference.gradient(at: parameters[t], step: Self.step) { values in
        var copy = FiniteDifference.replacing(layer, tensor: t, with: values)
        return FiniteDifference.weightedSum(copy.forward(input, mode: mode), w)
      }
      let ratio = FiniteDifference.worstRatio(gradients[t], numeric, absolute: Self.absolute, relative: Self.relative)
      #expect(ratio <= 1, "parameter \(t) gradient of \(L.self) in \(mode): worst ratio \(ratio)")
    }
  }

  /// A 6 × `cols` input with entries away from 0 (LeakyReLU's kink).
  func input(cols: Int, seed: UInt64 = 3) -> Matrix {
    let raw = FiniteDifference.values(count: 6 * cols, seed: seed)
    return Matrix(rows: 6, cols: cols, values: raw.map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 })
  }

  @Test(arguments: [Mode.training, .inference])
  func dense(mode: Mode) {
    var rng = RandomStream(seed: 1, stream: 1)
    var layer = Dense(inputs: 3, outputs: 4, rng: &rng)
    layer.bias = [0.1, -0.2, 0.3, 0.05]
    check(layer, input: input(cols: 3), mode: mode)
  }

  @Test(arguments: [Mode.training, .inference])
  func leakyReLU(mode: Mode) {
    check(LeakyReLU(width: 4, slope: 0.2), input: input(cols: 4), mode: mode)
  }

  @Test func batchNormTrainingIncludesGradientThroughStatistics() {
    var layer = BatchNorm(width: 4)
    layer.gamma = [1.5, 0.5, -1, 2]
    layer.beta = [0.1, 0.2, -0.3, 0]
    check(layer, input: input(cols: 4), mode: .training)
    // Without the terms through μ and σ², dL/dx would be γ·w/σ: make sure the check
    // would see that difference (it is far larger than the tolerance).
    var plain = layer
    _ = plain.forward(input(cols: 4), mode: .training)
    let w = FiniteDifference.values(count: 24, seed: 5)
    let dx = plain.backward(Matrix(rows: 6, cols: 4, values: w), input: input(cols: 4))
    let variance = input(cols: 4).columnMoments().variance
    var maxDifference: Float = 0
    for r in 0..<6 {
      for c in 0..<4 {
        let naive = layer.gamma[c] * w[r * 4 + c] / (variance[c] + layer.epsilon).squareRoot()
        maxDifference = max(maxDifference, abs(naive - dx.values[r * 4 + c]))
      }
    }
    #expect(maxDifference > 0.1)
  }

  @Test func batchNormInferenceUsesMovingStatistics() {
    var layer = BatchNorm(width: 4)
    layer.gamma = [1.5, 0.5, -1, 2]
    layer.beta = [0.1, 0.2, -0.3, 0]
    layer.movingMean = [0.3, -0.1, 0.5, 0]
    layer.movingVariance = [0.5, 2, 1.5, 0.8]
    check(layer, input: input(cols: 4), mode: .inference)
  }

  @Test(arguments: [Mode.training, .inference])
  func layerNorm(mode: Mode) {
    var layer = LayerNorm(width: 4)
    layer.gamma = [1.5, 0.5, -1, 2]
    layer.beta = [0.1, 0.2, -0.3, 0]
    check(layer, input: input(cols: 4), mode: mode)
  }

  @Test(arguments: [Mode.training, .inference])
  func groupNorm(mode: Mode) {
    var layer = GroupNorm(width: 6, groups: 2)
    layer.gamma = [1.5, 0.5, -1, 2, 0.7, 1.1]
    layer.beta = [0.1, 0.2, -0.3, 0, 0.4, -0.1]
    check(layer, input: input(cols: 6), mode: mode)
  }

  @Test(arguments: [Mode.training, .inference])
  func weightNormDense(mode: Mode) {
    var rng = RandomStream(seed: 2, stream: 1)
    var layer = WeightNormDense(inputs: 3, outputs: 4, rng: &rng)
    layer.scale = [0.5, 1.5, -0.8, 1]
    layer.bias = [0.1, -0.2, 0.3, 0.05]
    check(layer, input: input(cols: 3), mode: mode)
  }

  @Test(arguments: [Mode.training, .inference])
  func momentMatching(mode: Mode) {
    check(MomentMatching(targetMean: [2, -1], targetStd: [3, 0.5]), input: input(cols: 2), mode: mode)
  }

  @Test func binaryCrossEntropy() {
    let logits: [Float] = [-3, -0.5, 0.2, 1.7, 4, -8]
    let labels: [Float] = [0, 1, 0, 1, 1, 0]
    let analytic = BinaryCrossEntropy.gradient(logits: logits, labels: labels, scale: -0.5)
    let numeric = FiniteDifference.gradient(at: logits, step: 1e-2) {
      -0.5 * Double(BinaryCrossEntropy.loss(logits: $0, labels: labels))
    }
    let ratio = FiniteDifference.worstRatio(analytic, numeric, absolute: 1e-4, relative: 1e-3)
    #expect(ratio <= 1)
  }
}
