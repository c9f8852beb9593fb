import Testing

@testable import GANEngine

/// Finite-difference checks of the whole G objective and D loss for every training
/// protocol, on tiny networks (width 4, batch 6) after three real training steps
/// (so moving statistics and weights are not at their initial values).
///
/// h = 1e-3 on the parameters; tolerance |analytic − numeric| ≤ 1e-3 + 2e-2·|numeric|
/// (float32 losses near ln 2 give rounding noise of about 1e-4 after division by 2h).
/// Real banana coordinates reach ±10, so a perturbation can move a LeakyReLU input
/// across 0; the central difference is then not a derivative. Such elements are
/// detected by comparing the differences with steps h and 2h (they agree to O(h²)
/// where the loss is smooth) and skipped; at most one in ten may be skipped.
@Suite struct ProtocolGradientTests {
  static let absolute = 1e-3
  static let relative = 2e-2
  static let step: Float = 1e-3

  static func tinyConfig() -> ExperimentConfig {
    var config = ExperimentConfig()
    config.batchSize = 6
    config.width = 4
    config.groups = 2
    config.steps = 3
    config.leakySlope = 0.2
    config.seed = 11
    return config
  }

  static let protocols = [
    "baseline", "bn split train", "bn joint", "bn inference G step", "bn joint G step",
    "bn shift", "moment matching, bn first", "layer norm", "group norm", "weight norm second",
  ]

  static func config(_ name: String) -> ExperimentConfig {
    var c = tinyConfig()
    switch name {
    case "baseline": break
    case "bn split train": c.norm = .batch
    case "bn joint": c.norm = .batch; c.dBatches = .joint
    case "bn inference G step": c.norm = .batch; c.gMode = .inference
    case "bn joint G step": c.norm = .batch; c.gMode = .joint; c.dBatches = .joint
    case "bn shift": c.norm = .batch; c.shift = 0.5
    case "moment matching, bn first": c.norm = .batch; c.normLayers = .first; c.momentMatch = true
    case "layer norm": c.norm = .layer
    case "group norm": c.norm = .group
    case "weight norm second": c.norm = .weight; c.normLayers = .second; c.shift = 0.3
    default: preconditionFailure("unknown protocol \(name)")
    }
    return c
  }

  static func session(_ name: String) -> ReferenceSession {
    var session = ReferenceSession(config: config(name))
    for _ in 0..<3 {
      let ok = session.step()
      #expect(ok)
    }
    return session
  }

  /// Compares analytic gradients with kink-aware central differences; returns the
  /// worst ratio over smooth elements and the number of elements checked and skipped.
  static func compare(_ analytic: [Float], at point: [Float], _ f: ([Float]) -> Double)
    -> (worst: Double, checked: Int, skipped: Int)
  {
    let fine = FiniteDifference.gradient(at: point, step: step, f)
    let coarse = FiniteDifference.gradient(at: point, step: 2 * step, f)
    var worst = 0.0
    var skipped = 0
    for i in point.indices {
      let allowed = absolute + relative * abs(fine[i])
      if abs(fine[i] - coarse[i]) > allowed / 2 {
        skipped += 1
        continue
      }
      worst = max(worst, abs(Double(analytic[i]) - fine[i]) / allowed)
    }
    return (worst, point.count, skipped)
  }

  @Test(arguments: protocols)
  func generatorObjective(_ name: String) throws {
    let start = Self.session(name)
    var noiseSource = start
    let noise = noiseSource.freshNoise()
    var analytic = start
    let pass = analytic.generatorPass(noise: noise)
    #expect(pass != nil)
    let gradients = FiniteDifference.tensors(of: analytic.generator, gradients: true)
    let parameters = FiniteDifference.tensors(of: start.generator, gradients: false)
    var (checked, skipped) = (0, 0)
    for t in parameters.indices {
      let result = Self.compare(gradients[t], at: parameters[t]) { values in
        var s = start
        s.generator = FiniteDifference.replacing(start.generator, tensor: t, with: values)
        return Double(s.generatorPass(noise: noise)?.objective ?? .nan)
      }
      #expect(result.worst <= 1, "\(name): G tensor \(t), worst ratio \(result.worst)")
      checked += result.checked
      skipped += result.skipped
    }
    #expect(skipped * 10 <= checked, "\(name): \(skipped) of \(checked) elements not smooth")
  }

  @Test(arguments: protocols)
  func discriminatorLoss(_ name: String) throws {
    let start = Self.session(name)
    var source = start
    let noise = source.freshNoise()
    let generated = source.generatorPass(noise: noise)
    let fake = try #require(generated).fake
    var analytic = start
    let pass = analytic.discriminatorPass(fake: fake)
    #expect(pass != nil)
    let gradients = FiniteDifference.tensors(of: analytic.discriminator, gradients: true)
    let parameters = FiniteDifference.tensors(of: start.discriminator, gradients: false)
    var (checked, skipped) = (0, 0)
    for t in parameters.indices {
      let result = Self.compare(gradients[t], at: parameters[t]) { values in
        var s = start
        s.discriminator = FiniteDifference.replacing(start.discriminator, tensor: t, with: values)
        return Double(s.discriminatorPass(fake: fake)?.dLoss ?? .nan)
      }
      #expect(result.worst <= 1, "\(name): D tensor \(t), worst ratio \(result.worst)")
      checked += result.checked
      skipped += result.skipped
    }
    #expect(skipped * 10 <= checked, "\(name): \(skipped) of \(checked) elements not smooth")
  }

  @Test func generatorStepUpdatesDiscriminatorMovingStatisticsOnlyInTrainingModes() throws {
    for (mode, moves) in [(ExperimentConfig.GMode.train, true), (.inference, false), (.joint, true)] {
      var config = Self.tinyConfig()
      config.norm = .batch
      config.gMode = mode
      if mode == .joint { config.dBatches = .joint }
      var session = ReferenceSession(config: config)
      let index = try #require(session.probeIndex)
      let before = try #require(session.discriminator.batchNorm(at: index)).movingMean
      let dBefore = FiniteDifference.tensors(of: session.discriminator, gradients: false)
      let noise = session.freshNoise()
      let pass = session.generatorPass(noise: noise)
      #expect(pass != nil)
      let after = try #require(session.discriminator.batchNorm(at: index)).movingMean
      #expect((before != after) == moves, "G mode \(mode)")
      // D's parameters are never changed by the G step.
      #expect(FiniteDifference.tensors(of: session.discriminator, gradients: false) == dBefore)
    }
  }
}
