import Foundation
import GANEngine

/// `manifest.json`: SHA-256 of every output file and of every chapter, the engine
/// version, the BLAS kernel the runs used and the toolchain. Sorted keys and no timestamps, so equal inputs give
/// equal bytes.
struct Manifest: Encodable {
  var blas: String = EngineInfo.fingerprint.blasKernel
  var chapters: [String: String]
  var engine: String
  var files: [String: String]
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

/// `data/runs/<experiment>-s<seed>.json`: one run's metrics, no timings.
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
    try container.encode(metrics, forKey: .metrics)
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
