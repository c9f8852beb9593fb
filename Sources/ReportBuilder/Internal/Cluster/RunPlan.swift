import Foundation
import GANEngine

/// What the tasks of one job array train: the missing runs in array-index order, with
/// the keys the planner derived and the engine that derived them.
///
/// Written as JSON to `CACHE/slurm/plans/ID.json`, where every node can read it; task
/// `i` trains `runs[i]` and writes its entry to `CACHE/runs/` (found from the plan's own
/// location, so the cache may be mounted at different paths on different nodes).
struct RunPlan: Codable, Equatable, Sendable {
  struct Run: Codable, Equatable, Sendable {
    var key: String
    var experiment: String
    var config: ExperimentConfig

    /// `bn s3`, as in the local progress lines.
    var name: String { "\(experiment) s\(config.seed)" }
  }

  /// The format of this file.
  var format: Int = 1
  /// The engine version the keys were derived with.
  var engine: String
  /// The OpenBLAS kernel the keys name; every task must run on it.
  var kernel: String
  var runs: [Run]

  init(engine: String, kernel: String, runs: [Run]) {
    self.engine = engine
    self.kernel = kernel
    self.runs = runs
  }

  /// The plan for `jobs` with this process's engine and kernel.
  init(jobs: [RunJob]) {
    self.init(
      engine: EngineInfo.version, kernel: EngineInfo.fingerprint.blasKernel,
      runs: jobs.map { Run(key: $0.key.hex, experiment: $0.experiment, config: $0.config) })
  }

  /// What must match between the planner and a task: engine version and kernel.
  var fingerprint: String { "engine \(engine), BLAS kernel \(kernel)" }

  func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return [UInt8](try encoder.encode(self))
  }

  static func decode(_ bytes: [UInt8]) throws -> RunPlan {
    try JSONDecoder().decode(RunPlan.self, from: Data(bytes))
  }

  /// A short name for the plan's files: the first 16 hex digits of its SHA-256.
  var id: String {
    get throws { String(Hashing.sha256Hex(try encoded()).prefix(16)) }
  }

  // MARK: - Layout of the cluster files in the cache folder

  /// `CACHE/slurm`.
  static func folder(cache: URL) -> URL { cache.appendingPathComponent("slurm", isDirectory: true) }

  static func planURL(cache: URL, id: String) -> URL {
    folder(cache: cache).appendingPathComponent("plans/\(id).json")
  }

  static func scriptURL(cache: URL, id: String) -> URL {
    folder(cache: cache).appendingPathComponent("plans/\(id).sh")
  }

  static func logFolder(cache: URL) -> URL {
    folder(cache: cache).appendingPathComponent("logs", isDirectory: true)
  }

  /// The stderr log of one task, as `sbatch --error` names it (`%A_%a.err`).
  static func errorLog(cache: URL, job: String, index: Int) -> URL {
    logFolder(cache: cache).appendingPathComponent("\(job)_\(index).err")
  }

  static func outputLog(cache: URL, job: String, index: Int) -> URL {
    logFolder(cache: cache).appendingPathComponent("\(job)_\(index).out")
  }

  /// The cache folder of a plan at `CACHE/slurm/plans/ID.json`.
  static func cache(ofPlan plan: URL) -> URL {
    plan.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }
}
