/// Everything one training run records: curves, final samples, probes and metrics.
///
/// A result is a pure function of its ``ExperimentConfig`` (bit-identical run after
/// run), except ``msPerStep``, which is a timing and is kept out of anything that
/// must be reproducible.
public struct RunResult: Codable, Hashable, Sendable {
  /// Per-step training curves, one entry per completed step.
  public struct Curves: Codable, Hashable, Sendable {
    /// G's loss as G sees it: BCE(0, D(fake)) in the G step's mode, without the shift term.
    public var gLoss: [Float]
    /// D's loss in the D step (split or joint, as configured).
    public var dLoss: [Float]
    /// D's loss on the same batches as the D step, but with D in inference mode
    /// (moving statistics). Differs from ``dLoss`` only when D normalizes by batch.
    /// Evaluated at the steps of ``inferenceLossSteps(upTo:)`` only (every
    /// ``inferenceLossInterval``-th step and the last one), one entry per evaluated
    /// step: it costs a whole extra forward pass through D.
    public var dLossInference: [Float]
    /// First BN layer of D (whichever hidden layer it is in): mean over features of
    /// |moving mean − mean of the D step's whole batch, real ∪ fake| after each step;
    /// empty when D has no BN. See ``Trainer`` for how split batches are combined.
    public var bnMeanLag: [Float]
    /// Same for the variance: mean over features of |moving var − batch var|.
    public var bnVarLag: [Float]

    /// The inference-mode D loss is evaluated every this many steps.
    public static let inferenceLossInterval = 10

    /// Whether the inference-mode D loss is evaluated at (1-based) `step` of a run
    /// of `steps` steps (`interval`: the engine's tests evaluate it every step).
    public static func evaluatesInferenceLoss(
      atStep step: Int, of steps: Int, interval: Int = inferenceLossInterval
    ) -> Bool {
      step % interval == 0 || step == steps
    }

    /// The (1-based) steps at which ``dLossInference`` is evaluated in a run of
    /// `steps` steps: every ``inferenceLossInterval``-th step and the last one. A run
    /// that stops early holds a prefix.
    public static func inferenceLossSteps(upTo steps: Int) -> [Int] {
      (1...max(steps, 1)).filter { evaluatesInferenceLoss(atStep: $0, of: steps) }
    }

    public init(gLoss: [Float] = [], dLoss: [Float] = [], dLossInference: [Float] = [],
                bnMeanLag: [Float] = [], bnVarLag: [Float] = []) {
      self.gLoss = gLoss; self.dLoss = dLoss; self.dLossInference = dLossInference
      self.bnMeanLag = bnMeanLag; self.bnVarLag = bnVarLag
    }
  }

  /// The first normalized layer of D at the end of training (BN only).
  public struct BNProbe: Codable, Hashable, Sendable {
    /// Per-feature mean of the real batch's pre-normalization activations.
    public var realMean: [Float]
    /// Per-feature mean of the fake batch's pre-normalization activations.
    public var fakeMean: [Float]
    /// The BN layer's moving mean.
    public var movingMean: [Float]
    /// Per-feature (biased) variances of the same three.
    public var realVar: [Float]
    public var fakeVar: [Float]
    public var movingVar: [Float]

    public init(realMean: [Float], fakeMean: [Float], movingMean: [Float],
                realVar: [Float], fakeVar: [Float], movingVar: [Float]) {
      self.realMean = realMean; self.fakeMean = fakeMean; self.movingMean = movingMean
      self.realVar = realVar; self.fakeVar = fakeVar; self.movingVar = movingVar
    }
  }

  /// Summary metrics of the final generated samples against the real population.
  public struct Metrics: Codable, Hashable, Sendable {
    /// Mean of fake − mean of real, per coordinate.
    public var shift: [Float]
    /// sd of fake / sd of real, per coordinate.
    public var stdRatio: [Float]
    /// Distance between the fake and real point sets (see ``Trainer`` docs for which).
    public var distance: Float
    /// Final G loss (last entry of the curve), NaN when no step completed.
    public var gLoss: Float
    /// Final D loss.
    public var dLoss: Float
    /// Final D loss in inference mode.
    public var dLossInference: Float

    public init(shift: [Float], stdRatio: [Float], distance: Float,
                gLoss: Float, dLoss: Float, dLossInference: Float) {
      self.shift = shift; self.stdRatio = stdRatio; self.distance = distance
      self.gLoss = gLoss; self.dLoss = dLoss; self.dLossInference = dLossInference
    }
  }

  public var config: ExperimentConfig
  public var curves: Curves
  /// G applied to fresh noise at the end: `batchSize` points, row-major (x0, y0, x1, y1, …).
  public var samples: [Float]
  public var probe: BNProbe?
  public var metrics: Metrics
  /// True when a non-finite value appeared; training stopped at ``divergedAtStep``.
  public var diverged: Bool
  /// The step (1-based) where a non-finite value appeared, if any.
  public var divergedAtStep: Int?
  /// Steps completed.
  public var steps: Int
  /// Wall time per step in milliseconds (not reproducible; never part of a cache key
  /// or of the site's content).
  public var msPerStep: Double

  public init(config: ExperimentConfig, curves: Curves, samples: [Float], probe: BNProbe?,
              metrics: Metrics, diverged: Bool, divergedAtStep: Int?, steps: Int,
              msPerStep: Double) {
    self.config = config; self.curves = curves; self.samples = samples; self.probe = probe
    self.metrics = metrics; self.diverged = diverged; self.divergedAtStep = divergedAtStep
    self.steps = steps; self.msPerStep = msPerStep
  }
}
