import Foundation
import GANEngine

/// `manifest.json`: SHA-256 of every output file and of every chapter, the engine
/// version, the product kernels the runs used (`portable`, or `OpenBLAS <core>` for
/// runs that asked for it) and the toolchain. Sorted keys and no timestamps, so equal
/// inputs give equal bytes.
struct Manifest: Encodable {
  var chapters: [String: String]
  var engine: String
  var files: [String: String]
  var kernels: [String]
  var toolchain: String

  /// The Swift compiler that built the builder, fixed at compile time.
  static var toolchain: String {
    #if compiler(>=6.4)
    "Swift 6.4 or later"
    #elseif compiler(>=6.3)
    "Swift 6.3"
    #elseif compiler(>=6.2)
    "Swift 6.2"
    #elseif compiler(>=6.1)
    "Swift 6.1"
    #else
    "Swift 6.0"
    #endif
  }

  func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return [UInt8](try encoder.encode(self)) + [0x0a]
  }
}

/// `data/runs/<experiment>-s<seed>.json`: one run's metrics, no timings. Metric keys are
/// the ones `report run --json` prints (`g_loss`, `std_ratio`, …), like the configuration's.
struct RunSummaryFile: Encodable {
  var experiment: String
  var seed: UInt64
  var config: ExperimentConfig
  var metrics: RunResult.Metrics
  var diverged: Bool
  var divergedAtStep: Int?
  var steps: Int

  enum CodingKeys: String, CodingKey {
    case experiment, seed, config, metrics, diverged, divergedAtStep = "diverged_at_step", steps
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(experiment, forKey: .experiment)
    try container.encode(seed, forKey: .seed)
    try container.encode(config, forKey: .config)
    try container.encode(MetricsKeys(metrics), forKey: .metrics)
    try container.encode(diverged, forKey: .diverged)
    // Explicit null, so every file has the same keys.
    try container.encode(divergedAtStep, forKey: .divergedAtStep)
    try container.encode(steps, forKey: .steps)
  }

  func encoded() throws -> [UInt8] {
    let encoder = RunResult.jsonEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return [UInt8](try encoder.encode(self)) + [0x0a]
  }
}

/// A run's metrics under the snake_case keys of `report run --json`.
private struct MetricsKeys: Encodable {
  let metrics: RunResult.Metrics

  init(_ metrics: RunResult.Metrics) { self.metrics = metrics }

  enum CodingKeys: String, CodingKey {
    case gLoss = "g_loss", dLoss = "d_loss", dLossInference = "d_loss_inference", shift
    case stdRatio = "std_ratio", distance
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(metrics.gLoss, forKey: .gLoss)
    try container.encode(metrics.dLoss, forKey: .dLoss)
    try container.encode(metrics.dLossInference, forKey: .dLossInference)
    try container.encode(metrics.shift, forKey: .shift)
    try container.encode(metrics.stdRatio, forKey: .stdRatio)
    try container.encode(metrics.distance, forKey: .distance)
  }
}
