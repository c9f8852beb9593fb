/// Every knob of one GAN training run: the study's setup with all of its variations.
///
/// The defaults are the study's baseline: no normalization, split D batches, D in
/// training mode during the G step, no shift term, 2000 steps.
///
/// ```swift
/// var config = ExperimentConfig()
/// config.norm = .batch          // BN in both of D's hidden layers
/// config.shift = 0.005          // tempt G to move right
/// let result = try Trainer(config: config).run()
/// ```
public struct ExperimentConfig: Codable, Hashable, Sendable {
  // `Norm`, the normalization in D's hidden layers, is declared with how each one is
  // built, in ExperimentConfig+Norm.swift.
  /// Which of D's two hidden layers carry the normalization.
  public enum NormLayers: String, Codable, CaseIterable, Sendable {
    case both, first, second
  }
  /// How the D step feeds real and fake data.
  public enum DBatches: String, Codable, CaseIterable, Sendable {
    /// Two forward passes, each normalized with its own batch statistics.
    case split
    /// One forward pass over fake ∪ real.
    case joint
  }
  /// How D is called inside the G step.
  public enum GMode: String, Codable, CaseIterable, Sendable {
    /// Training mode on the fake batch (batch statistics of the fakes).
    case train
    /// Inference mode (moving statistics).
    case inference
    /// Training mode on fake ∪ real; the loss is taken on the fake half.
    case joint
  }

  public var norm: Norm = .none
  public var normLayers: NormLayers = .both
  public var dBatches: DBatches = .split
  public var gMode: GMode = .train
  /// λ of the shift term: G's loss gets −λ·mean(fake x).
  public var shift: Float = 0
  /// Standardize G's output and rescale it to the real population's mean and sd.
  public var momentMatch: Bool = false
  /// BatchNorm momentum of the moving statistics.
  public var momentum: Float = 0.99
  /// Number of groups for GroupNorm (must divide the hidden width).
  public var groups: Int = 32
  /// Training steps.
  public var steps: Int = 2000
  /// Seed of the model initialization and of the noise stream.
  public var seed: UInt64 = 1
  /// Seed of the real population (shared by all experiments that use it).
  public var dataSeed: UInt64 = 0
  /// Number of real points, noise points per step and generated samples.
  public var batchSize: Int = 2048
  /// Width of G's and D's hidden layers.
  public var width: Int = 64
  /// Adam learning rate (both networks).
  public var learningRate: Float = 1e-3
  /// LeakyReLU slope for negative inputs.
  public var leakySlope: Float = 0.01
  /// BN/LN/GN ε.
  public var epsilon: Float = 1e-3
  /// How the matrix products are computed: ``ProductKernel/portable`` gives the same
  /// bits on every x86-64 CPU with AVX2 and FMA.
  public var kernel: ProductKernel = .portable

  public init() {}

  private enum CodingKeys: String, CodingKey {
    case norm, normLayers = "norm_layers", dBatches = "d_batches", gMode = "g_mode", shift
    case momentMatch = "moment_match", momentum, groups, steps, seed, dataSeed = "data_seed"
    case batchSize = "batch_size", width, learningRate = "learning_rate"
    case leakySlope = "leaky_slope", epsilon, kernel
  }
}
