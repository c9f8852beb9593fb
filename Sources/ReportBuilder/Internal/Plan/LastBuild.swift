import Foundation
import GANEngine

/// `.report-cache/last-build.json`: what the last successful build used, so that
/// `report plan` can say why a run or figure has to be computed again (which key of
/// the configuration changed, the engine version, the product kernel, a figure's keys).
/// Written atomically after each successful build; sorted keys, no timestamps.
struct LastBuild: Codable, Equatable {
  /// One run of one experiment's seed.
  struct Run: Codable, Equatable {
    /// The run's cache key (hex).
    var key: String
    var config: ExperimentConfig
    var engine: String
    /// How its products were computed: `portable` or `OpenBLAS <core>`.
    var kernel: String
  }

  /// One figure.
  struct Figure: Codable, Equatable {
    /// The figure cache key (hex).
    var key: String
    /// The directive's `key: value` lines as written.
    var entries: [String: String]
  }

  /// Per experiment id, per seed (decimal).
  var runs: [String: [String: Run]]
  /// Per figure label.
  var figures: [String: Figure]

  static let fileName = "last-build.json"

  static func url(cacheDirectory: URL) -> URL {
    cacheDirectory.appendingPathComponent(fileName)
  }

  /// The record of a build of `site` whose runs have the payload `checksums`.
  init(manuscript: Manuscript, checksums: [RunKey: String]) {
    var runs: [String: [String: Run]] = [:]
    for experiment in manuscript.experiments {
      var seeds: [String: Run] = [:]
      for config in experiment.runConfigs {
        seeds["\(config.seed)"] = Run(
          key: RunKey(config: config).hex, config: config, engine: EngineInfo.version,
          kernel: EngineInfo.fingerprint.kernelName(for: config.kernel))
      }
      runs[experiment.id] = seeds
    }
    self.runs = runs
    var figures: [String: Figure] = [:]
    for figure in manuscript.figures {
      var entries: [String: String] = [:]
      for entry in figure.block.entries { entries[entry.key] = entry.value }
      figures[figure.label] = Figure(
        key: Self.figureKey(figure, manuscript: manuscript, checksums: checksums), entries: entries)
    }
    self.figures = figures
  }

  /// The figure cache key, exactly as the figure stage computes it (the one place the
  /// plan and this record ask for it).
  static func figureKey(_ figure: FigureDirective, manuscript: Manuscript, checksums: [RunKey: String]) -> String {
    FigureStage.key(of: figure, manuscript: manuscript, checksums: checksums)
  }

  func write(cacheDirectory: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    let bytes: Data
    do {
      bytes = try encoder.encode(self)
    } catch {
      throw BuildError.io(path: Self.url(cacheDirectory: cacheDirectory).path, reason: "\(error)")
    }
    try FileIO.writeAtomically([UInt8](bytes) + [0x0a], to: Self.url(cacheDirectory: cacheDirectory))
  }

  /// The record in `cacheDirectory`; nil when there is none or it does not decode
  /// (the plan then explains runs by the cache alone).
  static func read(cacheDirectory: URL) -> LastBuild? {
    guard let data = FileManager.default.contents(atPath: url(cacheDirectory: cacheDirectory).path) else {
      return nil
    }
    return try? JSONDecoder().decode(LastBuild.self, from: data)
  }
}
