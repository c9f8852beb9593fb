import Foundation
import Testing

@testable import GANEngine

/// Compares the engine with reference values computed by real Keras 3 layers.
///
/// The references live in `Fixtures/keras_fixtures.json`, written by
/// `Fixtures/make_keras_fixtures.py` (TensorFlow 2.21, Keras 3; the versions are
/// recorded in the file). Every fixture feeds the same explicit inputs and weights
/// to Keras and to the engine, so the results must agree up to float32 rounding.
///
/// Tolerance: `|engine − keras| ≤ 1e-5 · max(floor, max|keras|)` per tensor, floor 1
/// for values computed from O(1) data and 0.01 for gradients of batch-mean losses
/// (see `expectClose`). Both sides compute in float32 with different summation and
/// operation orders (Keras' BN evaluates `x·inv + (β − μ·inv)`); measured against a
/// float64 evaluation of the same formulas, Keras' own float32 error stays below
/// 1e-6 of that scale, and the engine's distance to Keras below 0.25 of the tolerance.
/// 1e-5 still catches every semantic slip that matters here: an unbiased variance
/// (n = 8: 14 %), ε = 1e-5 instead of 1e-3 (40–40 000 times the tolerance in these
/// fixtures), a misapplied momentum (≥ 1e-3). Parameters moved by Adam are compared
/// absolutely, against the size of one step (see `adam()`).
@Suite("Keras fixtures")
struct KerasFixtureTests {
  private let fixtures: KerasFixtureFile

  init() throws {
    fixtures = try KerasFixtureFile.load()
  }

  // MARK: - Fixture file

  /// Every fixture the tests below use; a fixture added to the script but not to a
  /// test fails `provenance()` instead of going unchecked.
  static let testedFixtures: Set<String> = [
    "dense_bn_training", "dense_bn_inference",
    "bn_moving_momentum_0.99", "bn_moving_momentum_0.9",
    "layer_norm", "group_norm_2", "group_norm_4",
    "bce_logits", "adam", "leaky_relu",
    "gan_d_steps_split", "gan_d_steps_joint",
    "gan_g_gradient_train", "gan_g_gradient_inference", "gan_g_gradient_joint",
  ]

  @Test("The fixture file records its provenance, decodes completely and is fully used")
  func provenance() throws {
    #expect(fixtures.versions["tensorflow"]?.hasPrefix("2.") == true)
    #expect(fixtures.versions["keras"]?.hasPrefix("3.") == true)
    #expect(fixtures.dtype == "float32")
    #expect(Set(fixtures.fixtures.keys) == Self.testedFixtures)
    for (name, fixture) in fixtures.fixtures {
      for (key, tensor) in fixture.tensors {
        #expect(
          tensor.shape.reduce(1, *) == tensor.data.count,
          "\(name).\(key): shape \(tensor.shape) vs \(tensor.data.count) values")
      }
    }
  }
}

// MARK: - Layers

extension KerasFixtureTests {
  @Test(
    "Dense → BatchNorm: forward, gradients and moving statistics",
    arguments: [
      Mode.training, Mode.inference,
    ])
  func denseBatchNorm(mode: Mode) throws {
    let f = try fixtures.fixture(mode == .training ? "dense_bn_training" : "dense_bn_inference")
    let x = try f.matrix("x")
    var dense = Dense(weight: try f.matrix("kernel"), bias: try f.vector("bias"))
    var bn = BatchNorm(
      width: dense.outputWidth, momentum: Float(try f.number("momentum")),
      epsilon: Float(try f.number("epsilon")))
    bn.gamma = try f.vector("gamma")
    bn.beta = try f.vector("beta")
    bn.movingMean = try f.vector("moving_mean")
    bn.movingVariance = try f.vector("moving_variance")

    let h = dense.forward(x, mode: mode)
    let y = bn.forward(h, mode: mode)
    expectClose(h.values, try f.vector("dense_out"), "\(mode) Dense output")
    expectClose(y.values, try f.vector("y"), "\(mode) BN output")
    expectClose(bn.movingMean, try f.vector("moving_mean_after"), "\(mode) moving mean")
    expectClose(bn.movingVariance, try f.vector("moving_variance_after"), "\(mode) moving variance")

    // loss = sum(y · r), so dL/dy = r.
    let dh = bn.backward(try f.matrix("r"), input: h)
    let dx = dense.backward(dh, input: x)
    expectClose(dx.values, try f.vector("grad_x"), "\(mode) dL/dx")
    expectClose(dense.gradWeight.values, try f.vector("grad_kernel"), "\(mode) dL/dkernel")
    // In training mode dL/dbias is 0 in exact arithmetic (BN removes the mean);
    // Keras' value is float32 noise of order 1e-6, inside the tolerance (scale 1).
    expectClose(dense.gradBias, try f.vector("grad_bias"), "\(mode) dL/dbias")
    expectClose(bn.gradGamma, try f.vector("grad_gamma"), "\(mode) dL/dgamma")
    expectClose(bn.gradBeta, try f.vector("grad_beta"), "\(mode) dL/dbeta")
  }

  @Test("BatchNorm moving statistics over three training calls", arguments: ["0.99", "0.9"])
  func batchNormMovingStatistics(momentum: String) throws {
    let f = try fixtures.fixture("bn_moving_momentum_\(momentum)")
    let calls = try f.tensor("inputs").shape[0]
    let width = try f.tensor("inputs").shape[2]
    // Keras' defaults: γ 1, β 0, moving mean 0, moving variance 1.
    var bn = BatchNorm(
      width: width, momentum: Float(try f.number("momentum")),
      epsilon: Float(try f.number("epsilon")))
    for call in 0..<calls {
      let y = bn.forward(try f.matrix("inputs", slice: call), mode: .training)
      expectClose(y.values, try f.matrix("y", slice: call).values, "call \(call) output")
      expectClose(bn.movingMean, try f.slice("moving_mean", call), "call \(call) moving mean")
      expectClose(
        bn.movingVariance, try f.slice("moving_variance", call), "call \(call) moving variance")
    }
  }

  @Test(
    "LayerNorm and GroupNorm: forward and gradients",
    arguments: [
      "layer_norm", "group_norm_2", "group_norm_4",
    ])
  func perRowNormalization(name: String) throws {
    let f = try fixtures.fixture(name)
    let x = try f.matrix("x")
    let epsilon = Float(try f.number("epsilon"))
    let r = try f.matrix("r")
    let y: Matrix
    let dx: Matrix
    let gradGamma: [Float]
    let gradBeta: [Float]
    if name == "layer_norm" {
      var layer = LayerNorm(width: x.cols, epsilon: epsilon)
      layer.gamma = try f.vector("gamma")
      layer.beta = try f.vector("beta")
      y = layer.forward(x, mode: .training)
      dx = layer.backward(r, input: x)
      (gradGamma, gradBeta) = (layer.gradGamma, layer.gradBeta)
    } else {
      var layer = GroupNorm(width: x.cols, groups: Int(try f.number("groups")), epsilon: epsilon)
      layer.gamma = try f.vector("gamma")
      layer.beta = try f.vector("beta")
      y = layer.forward(x, mode: .training)
      dx = layer.backward(r, input: x)
      (gradGamma, gradBeta) = (layer.gradGamma, layer.gradBeta)
    }
    expectClose(y.values, try f.vector("y"), "\(name) output")
    expectClose(dx.values, try f.vector("grad_x"), "\(name) dL/dx")
    expectClose(gradGamma, try f.vector("grad_gamma"), "\(name) dL/dgamma")
    expectClose(gradBeta, try f.vector("grad_beta"), "\(name) dL/dbeta")
  }

  @Test("LeakyReLU(0.01): forward and gradient")
  func leakyReLU() throws {
    let f = try fixtures.fixture("leaky_relu")
    let x = try f.matrix("x")
    var layer = LeakyReLU(width: x.cols, slope: Float(try f.number("negative_slope")))
    let y = layer.forward(x, mode: .training)
    let dx = layer.backward(try f.matrix("r"), input: x)
    expectClose(y.values, try f.vector("y"), "LeakyReLU output")
    expectClose(dx.values, try f.vector("grad_x"), "LeakyReLU dL/dx")
  }
}

// MARK: - Loss and optimizer

extension KerasFixtureTests {
  @Test("Binary cross-entropy on logits, including saturated ones")
  func binaryCrossEntropy() throws {
    let f = try fixtures.fixture("bce_logits")
    let logits = try f.vector("logits")
    let labels = try f.vector("labels")
    let loss = BinaryCrossEntropy.loss(logits: logits, labels: labels)
    expectClose([loss], [try f.scalar("loss")], "BCE loss")
    expectClose(
      BinaryCrossEntropy.gradient(logits: logits, labels: labels),
      try f.vector("grad_logits"), "BCE dL/dlogits", floor: 0.01)
  }

  /// Adam is compared absolutely: a step moves a parameter by at most about
  /// lr = 1e-3, so 1e-6 is 0.1 % of a step, while float32 rounding of a parameter
  /// below 1 in magnitude costs at most 3e-8 per step on each side. The fixture's
  /// gradient of 1e-4 scale makes ε's placement visible (≈ 3 % of a step).
  @Test("Adam: five steps with a given gradient sequence")
  func adam() throws {
    let f = try fixtures.fixture("adam")
    let optimizer = Adam(
      learningRate: Float(try f.number("learning_rate")), beta1: Float(try f.number("beta_1")),
      beta2: Float(try f.number("beta_2")), epsilon: Float(try f.number("epsilon")))
    var theta = try f.vector("theta0")
    var state = Adam.State(count: theta.count)
    let steps = try f.tensor("grads").shape[0]
    for t in 0..<steps {
      Adam.apply(
        parameter: &theta, gradient: try f.slice("grads", t), state: &state,
        alpha: optimizer.alpha(step: t + 1), beta1: optimizer.beta1, beta2: optimizer.beta2,
        epsilon: optimizer.epsilon)
      expectClose(theta, try f.slice("theta_after", t), "θ after step \(t + 1)", absolute: 1e-6)
    }
  }
}

// MARK: - Discriminator steps

extension KerasFixtureTests {
  /// Two D steps of the study on a tiny D: Dense(2→4) → BatchNorm → LeakyReLU →
  /// Dense(4→1), BCE, Adam over all parameters. Split batches run D(real) then
  /// D(fake) in training mode and sum half of each gradient, as the trainer does;
  /// joint batches run one pass over fake ∪ real.
  @Test(
    "Discriminator steps: losses, gradients, Adam updates, moving statistics",
    arguments: [
      "split", "joint",
    ])
  func discriminatorSteps(batches: String) throws {
    let f = try fixtures.fixture("gan_d_steps_\(batches)")
    let hidden = try f.tensor("kernel1").shape[1]
    var d = Sequential([
      Dense(weight: try f.matrix("kernel1"), bias: try f.vector("bias1")),
      BatchNorm(
        width: hidden, momentum: Float(try f.number("momentum")),
        epsilon: Float(try f.number("epsilon"))),
      LeakyReLU(width: hidden, slope: Float(try f.number("negative_slope"))),
      Dense(weight: try f.matrix("kernel2"), bias: try f.vector("bias2")),
    ])
    var optimizer = Adam()
    let steps = try f.tensor("losses").shape[0]
    for t in 0..<steps {
      let real = try f.matrix("reals", slice: t)
      let fake = try f.matrix("fakes", slice: t)
      let n = real.rows
      d.zeroGradients()
      let loss: Float
      if batches == "split" {
        let realLogits = d.forward(real, mode: .training)
        _ = d.backward(
          Matrix(
            rows: n, cols: 1,
            values: BinaryCrossEntropy.gradient(logits: realLogits.values, label: 1, scale: 0.5)))
        let fakeLogits = d.forward(fake, mode: .training)
        _ = d.backward(
          Matrix(
            rows: n, cols: 1,
            values: BinaryCrossEntropy.gradient(logits: fakeLogits.values, label: 0, scale: 0.5)))
        loss =
          0.5
          * (BinaryCrossEntropy.loss(logits: realLogits.values, label: 1)
            + BinaryCrossEntropy.loss(logits: fakeLogits.values, label: 0))
      } else {
        let labels = [Float](repeating: 0, count: n) + [Float](repeating: 1, count: n)
        let logits = d.forward(Matrix.stacked(fake, real), mode: .training)
        _ = d.backward(
          Matrix(
            rows: 2 * n, cols: 1,
            values: BinaryCrossEntropy.gradient(logits: logits.values, labels: labels)))
        loss = BinaryCrossEntropy.loss(logits: logits.values, labels: labels)
      }
      expectClose([loss], [try f.vector("losses")[t]], "step \(t + 1) loss")
      try expectDiscriminator(d, matches: f, step: t, gradients: true)

      optimizer.update(&d)
      try expectDiscriminator(d, matches: f, step: t, gradients: false)
      let bn = try #require(d.batchNorm(at: 1))
      expectClose(
        bn.movingMean, try f.slice("moving_mean_after", t),
        "step \(t + 1) moving mean")
      expectClose(
        bn.movingVariance, try f.slice("moving_variance_after", t),
        "step \(t + 1) moving variance")
    }
  }

  /// The gradient G receives from D, for each D mode of the G step: D's parameters
  /// get no gradient (`parameterGradients: false`), the BN moving statistics move in
  /// the training modes only, and in joint mode the real half gets zero upstream
  /// gradient but still shapes the batch statistics.
  @Test(
    "G step: D's gradient with respect to the fakes, per D mode",
    arguments: [
      "train", "inference", "joint",
    ])
  func generatorGradient(mode: String) throws {
    let f = try fixtures.fixture("gan_g_gradient_\(mode)")
    let hidden = try f.tensor("kernel1").shape[1]
    var bn = BatchNorm(
      width: hidden, momentum: Float(try f.number("momentum")),
      epsilon: Float(try f.number("epsilon")))
    bn.gamma = try f.vector("gamma")
    bn.beta = try f.vector("beta")
    bn.movingMean = try f.vector("moving_mean")
    bn.movingVariance = try f.vector("moving_variance")
    var d = Sequential([
      Dense(weight: try f.matrix("kernel1"), bias: try f.vector("bias1")),
      bn,
      LeakyReLU(width: hidden, slope: Float(try f.number("negative_slope"))),
      Dense(weight: try f.matrix("kernel2"), bias: try f.vector("bias2")),
    ])
    let fake = try f.matrix("fake")
    let n = fake.rows
    let gLoss: Float
    let gradFake: Matrix
    if mode == "joint" {
      let logits = d.forward(Matrix.stacked(fake, try f.matrix("real")), mode: .training)
      let fakeLogits = Array(logits.values[0..<n])
      gLoss = BinaryCrossEntropy.loss(logits: fakeLogits, label: 0)
      // G's loss is −BCE, hence scale −1; the real half contributes no loss.
      let upstream =
        BinaryCrossEntropy.gradient(logits: fakeLogits, label: 0, scale: -1)
        + [Float](repeating: 0, count: n)
      gradFake = d.backward(
        Matrix(rows: 2 * n, cols: 1, values: upstream), parameterGradients: false
      ).rows(0..<n)
    } else {
      let logits = d.forward(fake, mode: mode == "train" ? .training : .inference)
      gLoss = BinaryCrossEntropy.loss(logits: logits.values, label: 0)
      gradFake = d.backward(
        Matrix(
          rows: n, cols: 1,
          values: BinaryCrossEntropy.gradient(logits: logits.values, label: 0, scale: -1)),
        parameterGradients: false)
    }
    expectClose([gLoss], [try f.scalar("g_loss")], "\(mode) G loss")
    expectClose(gradFake.values, try f.vector("grad_fake"), "\(mode) dL_G/dfake", floor: 0.01)
    let after = try #require(d.batchNorm(at: 1))
    expectClose(after.movingMean, try f.vector("moving_mean_after"), "\(mode) moving mean")
    expectClose(
      after.movingVariance, try f.vector("moving_variance_after"), "\(mode) moving variance")
    let dense1 = try #require(d.layers[0] as? Dense)
    #expect(dense1.gradWeight.values.allSatisfy { $0 == 0 }, "D's parameters got a gradient")
  }

  /// Compares D's accumulated gradients (`gradients`) or its parameters after step
  /// `t` with the fixture's `grad_<name>[t]` or `<name>_after[t]`.
  ///
  /// Gradients of the batch-mean loss use the scale floor 0.01; parameters are
  /// compared absolutely to 1e-6 like in `adam()`, except Dense 1's bias: it feeds
  /// BatchNorm, so its gradient is 0 in exact arithmetic and float32 noise
  /// (|g| ~ 1e-8 here) is all Adam sees. Adam divides that noise by
  /// sqrt(v) + ε ≈ ε = 1e-7, so each side moves the bias by an amount set by its own
  /// rounding (measured: up to ≈ 1e-5 apart after two steps). That bias is therefore
  /// only held to 1e-4, a tenth of one Adam step: enough to catch a real gradient
  /// reaching it, which would move it by a whole step.
  private func expectDiscriminator(
    _ d: Sequential, matches f: KerasFixture, step t: Int, gradients: Bool
  ) throws {
    let dense1 = try #require(d.layers[0] as? Dense)
    let bn = try #require(d.layers[1] as? BatchNorm)
    let dense2 = try #require(d.layers[3] as? Dense)
    let tensors: [(name: String, parameter: [Float], gradient: [Float])] = [
      ("kernel1", dense1.weight.values, dense1.gradWeight.values),
      ("bias1", dense1.bias, dense1.gradBias),
      ("gamma", bn.gamma, bn.gradGamma),
      ("beta", bn.beta, bn.gradBeta),
      ("kernel2", dense2.weight.values, dense2.gradWeight.values),
      ("bias2", dense2.bias, dense2.gradBias),
    ]
    for tensor in tensors {
      if gradients {
        let key = "grad_\(tensor.name)"
        expectClose(tensor.gradient, try f.slice(key, t), "step \(t + 1) \(key)", floor: 0.01)
      } else {
        let key = "\(tensor.name)_after"
        expectClose(
          tensor.parameter, try f.slice(key, t), "step \(t + 1) \(key)",
          absolute: tensor.name == "bias1" ? 1e-4 : 1e-6)
      }
    }
  }
}

// MARK: - Comparison

/// Expects `actual ≈ expected` elementwise: `|a − e| ≤ tolerance · max(floor, max|e|)`.
///
/// The scale is the tensor's largest reference magnitude, because float32 rounding in
/// sums and normalizations is proportional to the magnitudes involved, not to each
/// element (an element near 0 carries the error of its larger neighbours). `floor` is
/// the magnitude of what the tensor is computed from: 1 for values computed from O(1)
/// inputs, activations and weights (outputs, parameter gradients of sum(y·r), moving
/// statistics), 0.01 for gradients of a batch-mean loss, which are O(1/n) by
/// construction. Reports the worst element only.
private func expectClose(
  _ actual: [Float], _ expected: [Float], _ what: String, tolerance: Float = 1e-5,
  floor: Float = 1, sourceLocation: SourceLocation = #_sourceLocation
) {
  let scale = max(floor, expected.map { abs($0) }.max() ?? 0)
  expectWithin(actual, expected, what, bound: tolerance * scale, sourceLocation: sourceLocation)
}

/// Expects `|a − e| ≤ absolute` elementwise, for quantities whose natural scale is
/// not their magnitude, like parameters moved by Adam.
private func expectClose(
  _ actual: [Float], _ expected: [Float], _ what: String, absolute: Float,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  expectWithin(actual, expected, what, bound: absolute, sourceLocation: sourceLocation)
}

/// Expects equal counts and `|a − e| ≤ bound` for every element; reports the worst.
private func expectWithin(
  _ actual: [Float], _ expected: [Float], _ what: String, bound: Float,
  sourceLocation: SourceLocation
) {
  #expect(
    actual.count == expected.count,
    "\(what): \(actual.count) values, Keras has \(expected.count)",
    sourceLocation: sourceLocation)
  guard actual.count == expected.count, !expected.isEmpty else { return }
  var worst: (index: Int, error: Float) = (0, 0)
  for i in expected.indices {
    let error = abs(actual[i] - expected[i])
    if !(error <= worst.error) { worst = (i, error) }
  }
  #expect(
    worst.error <= bound,
    """
    \(what): max |engine − keras| = \(worst.error) at index \(worst.index) \
    (engine \(actual[worst.index]), keras \(expected[worst.index])), allowed \(bound)
    """,
    sourceLocation: sourceLocation)
}

// MARK: - Fixture file model

/// The decoded `keras_fixtures.json`.
private struct KerasFixtureFile: Decodable {
  /// Library versions that produced the references.
  let versions: [String: String]
  /// Element type of every tensor ("float32").
  let dtype: String
  /// The fixtures by name.
  let fixtures: [String: KerasFixture]

  /// Loads the file from the test bundle's copied `Fixtures` directory.
  static func load() throws -> KerasFixtureFile {
    guard
      let url = Bundle.module.url(
        forResource: "keras_fixtures", withExtension: "json", subdirectory: "Fixtures")
    else {
      throw KerasFixtureError.missing("Fixtures/keras_fixtures.json is not in the test bundle")
    }
    return try JSONDecoder().decode(KerasFixtureFile.self, from: Data(contentsOf: url))
  }

  /// The fixture called `name`.
  func fixture(_ name: String) throws -> KerasFixture {
    guard let fixture = fixtures[name] else {
      throw KerasFixtureError.missing("no fixture \(name)")
    }
    return fixture
  }
}

/// One fixture: numeric configuration and named tensors.
private struct KerasFixture: Decodable {
  let description: String
  let config: [String: Double]
  let tensors: [String: KerasTensor]

  /// The tensor `key`.
  func tensor(_ key: String) throws -> KerasTensor {
    guard let tensor = tensors[key] else { throw KerasFixtureError.missing("no tensor \(key)") }
    return tensor
  }

  /// The tensor `key` as a vector of floats (any shape, flattened row-major).
  func vector(_ key: String) throws -> [Float] {
    try tensor(key).floats
  }

  /// The tensor `key` as a matrix; a 1-D tensor becomes one row.
  func matrix(_ key: String) throws -> Matrix {
    let t = try tensor(key)
    switch t.shape.count {
    case 1: return Matrix(rows: 1, cols: t.shape[0], values: t.floats)
    case 2: return Matrix(rows: t.shape[0], cols: t.shape[1], values: t.floats)
    default: throw KerasFixtureError.shape("\(key) has shape \(t.shape), not a matrix")
    }
  }

  /// Slice `index` along the first axis of a 3-D tensor, as a matrix.
  func matrix(_ key: String, slice index: Int) throws -> Matrix {
    let t = try tensor(key)
    guard t.shape.count == 3, index < t.shape[0] else {
      throw KerasFixtureError.shape("\(key) has shape \(t.shape), no slice \(index)")
    }
    let count = t.shape[1] * t.shape[2]
    return Matrix(
      rows: t.shape[1], cols: t.shape[2],
      values: Array(t.floats[(index * count)..<((index + 1) * count)]))
  }

  /// Entry `index` along the first axis of a tensor of rank ≥ 2, flattened row-major
  /// (a row of a matrix, a matrix of a stack of matrices).
  func slice(_ key: String, _ index: Int) throws -> [Float] {
    let t = try tensor(key)
    guard t.shape.count >= 2, index < t.shape[0] else {
      throw KerasFixtureError.shape("\(key) has shape \(t.shape), no slice \(index)")
    }
    let count = t.shape.dropFirst().reduce(1, *)
    return Array(t.floats[(index * count)..<((index + 1) * count)])
  }

  /// The scalar tensor `key`.
  func scalar(_ key: String) throws -> Float {
    let t = try tensor(key)
    guard t.data.count == 1 else { throw KerasFixtureError.shape("\(key) is not a scalar") }
    return t.floats[0]
  }

  /// The configuration value `key`.
  func number(_ key: String) throws -> Double {
    guard let value = config[key] else { throw KerasFixtureError.missing("no config \(key)") }
    return value
  }
}

/// A tensor as written by the script: shape and row-major data. Every value is the
/// exact double of a float32, so converting back to `Float` is lossless.
private struct KerasTensor: Decodable {
  let shape: [Int]
  let data: [Double]

  var floats: [Float] { data.map { Float($0) } }
}

private enum KerasFixtureError: Error {
  case missing(String)
  case shape(String)
}
