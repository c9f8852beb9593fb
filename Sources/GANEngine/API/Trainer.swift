/// Trains the study's GAN for one ``ExperimentConfig`` and records a ``RunResult``.
///
/// One step of the study's protocol:
/// 1. **G step.** Fresh noise (`batchSize` points), fake = G(noise). G's loss is
///    −BCE(0, D(fake)) − λ·mean(fake x), with D in the configured ``ExperimentConfig/GMode``
///    (`train`: training mode on the fakes; `inference`: moving statistics; `joint`:
///    training mode on fake ∪ real, loss on the fake half). Gradients flow through D
///    into G; only G's parameters are updated (Adam). In the training modes D's BN
///    moving statistics are updated by this call, as in Keras.
/// 2. **D step** on the same fake batch (computed before G's update). `split`: D(real)
///    then D(fake), two training-mode passes (two moving-statistics updates, real
///    first), loss 0.5·(BCE(1, D(real)) + BCE(0, D(fake))). `joint`: one training-mode
///    pass over fake ∪ real (fakes first), BCE with labels 0 ∪ 1.
///
/// Recorded per step: G loss (BCE(0, D(fake)) from the G step, without the shift term)
/// and D loss. Every 10th step and at the last step
/// (``RunResult/Curves/inferenceLossSteps(upTo:)``): D's loss on the D step's batches
/// in inference mode, evaluated after the D step's forward passes and before D's
/// update (with BN this uses the moving statistics those passes just updated; without
/// BN it equals the D loss); it needs a whole extra forward pass through D, which
/// would cost about a seventh of a BatchNorm step if it ran every step. The BN lag
/// curves compare D's first BN layer's moving statistics after the step with the
/// statistics of the D step's whole batch, real ∪ fake: for split batches the
/// union's mean is the average of the two batch means and its variance the average of
/// the two variances plus the squared half-difference of the means.
///
/// At the end: `samples` = G on `batchSize` fresh noise points from the same noise
/// stream; the BN probe (first BN layer of D): mean and biased variance of that
/// layer's input on the real population and on the final samples, and its moving
/// statistics; metrics: mean shift and sd ratio per coordinate, and the energy
/// distance (``SampleMetrics/energyDistance(_:_:)``) between samples and the real
/// population.
///
/// The step is computed by ``TrainingSession``, which shares the passes that the
/// protocol computes twice (same batch, same parameters) and runs fused,
/// preallocated kernels; it agrees with the pass-by-pass protocol
/// (``ReferenceSession``) to float rounding. With the default product kernel
/// (``ProductKernel/portable``) results are the same bits on every x86-64 CPU with AVX2
/// and FMA; with ``ProductKernel/openblas`` they depend on the OpenBLAS core (see
/// ``BLASKernel``).
///
/// If a loss or G's output stops being finite, training stops: the result is marked
/// diverged at that (1-based) step and holds the curves of the completed steps.
///
/// ```swift
/// var config = ExperimentConfig()
/// config.norm = .batch
/// let result = Trainer(config: config).run { step, total in print(step, total) }
/// ```
public struct Trainer: Sendable {
  /// The configuration this trainer runs.
  public let config: ExperimentConfig

  /// A trainer for a valid configuration (see ``validate(_:)``; an invalid one is a
  /// programmer error here).
  public init(config: ExperimentConfig) {
    do {
      try config.validate()
    } catch {
      preconditionFailure("Trainer: \(error)")
    }
    self.config = config
  }

  /// Throws a ``ConfigurationError`` for a configuration that cannot be run.
  public static func validate(_ config: ExperimentConfig) throws {
    try config.validate()
  }

  /// Runs the whole training and the final measurements. `progress(step, total)` is
  /// called every 10 steps and after the last one.
  public func run(progress: ((_ step: Int, _ total: Int) -> Void)? = nil) -> RunResult {
    var session = TrainingSession(config: config)
    return train(&session, progress: progress)
  }

  /// Runs like ``run(progress:)`` (the same result, bit for bit) and also times the
  /// matrix products of every step, to split the step's time between them and the rest.
  public func runProfiled(progress: ((_ step: Int, _ total: Int) -> Void)? = nil)
    -> (result: RunResult, profile: StepProfile)
  {
    let products = ProductClock()
    var session = TrainingSession(config: config, productClock: products)
    let result = train(&session, progress: progress)
    let steps = Double(max(result.steps, 1))
    let timed = products.shapes
    let profile = StepProfile(
      stepMilliseconds: result.msPerStep,
      productMilliseconds: timed.reduce(0) { $0 + $1.seconds } * 1000 / steps,
      productMFLOP: timed.reduce(0) { $0 + Double($1.calls) * $1.shape.flops } / 1e6 / steps,
      productsPerStep: Double(timed.reduce(0) { $0 + $1.calls }) / steps,
      shapes: timed.map {
        StepProfile.Shape(shape: $0.shape, callsPerStep: Double($0.calls) / steps, milliseconds: $0.seconds * 1000 / steps)
      })
    return (result, profile)
  }

  private func train(
    _ session: inout TrainingSession, progress: ((_ step: Int, _ total: Int) -> Void)?
  ) -> RunResult {
    let clock = ContinuousClock()
    let start = clock.now
    var completed = 0
    var divergedAt: Int? = nil
    for step in 1...config.steps {
      if !session.step() {
        divergedAt = step
        break
      }
      completed = step
      if step % 10 == 0 || step == config.steps { progress?(step, config.steps) }
    }
    let elapsed = clock.now - start
    let seconds = elapsed.inSeconds
    if divergedAt != nil { progress?(completed, config.steps) }
    return session.finish(
      completedSteps: completed, divergedAt: divergedAt,
      msPerStep: completed > 0 ? seconds * 1000 / Double(completed) : 0)
  }
}

/// Where a training step's time goes (``Trainer/runProfiled(progress:)``): its matrix
/// products, timed call by call, and everything else (normalization, activations, losses,
/// optimizer, the first layers' inner-dimension-2 maps and the work products hand on as
/// they finish rows).
public struct StepProfile: Sendable {
  /// Wall time of a step.
  public var stepMilliseconds: Double
  /// Time of a step's products.
  public var productMilliseconds: Double
  /// MFLOP of a step's products (2·m·n·k each; a 10th-step inference pass included).
  public var productMFLOP: Double
  /// Products per step.
  public var productsPerStep: Double
  /// The products shape by shape, in the order of each shape's first call in the run.
  public var shapes: [Shape]

  /// The calls of one product shape in a step.
  public struct Shape: Sendable {
    /// m, n, k and which operand is transposed.
    public var shape: StepCost.GEMM
    /// Calls per step (fractional for a pass that runs every 10th step).
    public var callsPerStep: Double
    /// Time of those calls per step.
    public var milliseconds: Double

    public init(shape: StepCost.GEMM, callsPerStep: Double, milliseconds: Double) {
      (self.shape, self.callsPerStep, self.milliseconds) = (shape, callsPerStep, milliseconds)
    }

    /// Their rate inside the step, in GFLOP/s.
    public var rate: Double { milliseconds > 0 ? callsPerStep * shape.flops / 1e6 / milliseconds : 0 }
  }

  public init(
    stepMilliseconds: Double, productMilliseconds: Double, productMFLOP: Double, productsPerStep: Double,
    shapes: [Shape] = []
  ) {
    (self.stepMilliseconds, self.productMilliseconds) = (stepMilliseconds, productMilliseconds)
    (self.productMFLOP, self.productsPerStep, self.shapes) = (productMFLOP, productsPerStep, shapes)
  }

  /// The rest of the step.
  public var otherMilliseconds: Double { stepMilliseconds - productMilliseconds }
  /// The products' rate in GFLOP/s.
  public var productRate: Double { productMilliseconds > 0 ? productMFLOP / productMilliseconds : 0 }
}
