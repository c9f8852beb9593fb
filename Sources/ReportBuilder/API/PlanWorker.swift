import Foundation
import GANEngine

/// One task of a Slurm job array: trains run `index` of a plan that
/// `report build --executor slurm` wrote, and stores its result in the plan's cache folder.
///
/// Before training it checks that this process can produce the bits the run's key
/// promises: the same OpenBLAS kernel and engine version as the planner, and the same
/// key re-derived from the configuration. It refuses otherwise, so no result computed
/// another way is ever stored under that key.
///
/// ```swift
/// let line = try PlanWorker.run(plan: URL(fileURLWithPath: planPath), index: 3)
/// print(line)  // "bn s4: 2000 steps in 7.9 s on node7 (BLAS kernel Haswell)"
/// ```
public enum PlanWorker {
  /// Trains and stores the run; returns a one-line summary.
  ///
  /// - Throws: ``WorkerError``.
  public static func run(plan: URL, index: Int) throws -> String {
    try run(
      plan: plan, index: index, kernel: EngineInfo.fingerprint.blasKernel, engine: EngineInfo.version,
      host: hostName(), function: engineRunFunction)
  }

  /// The worker with its environment spelled out (tests vary the kernel and host).
  static func run(
    plan url: URL, index: Int, kernel: String, engine: String, host: String, function: RunFunction
  ) throws -> String {
    guard let bytes = FileManager.default.contents(atPath: url.path) else {
      throw WorkerError.planUnreadable(path: url.path, host: host)
    }
    let plan: RunPlan
    do {
      plan = try RunPlan.decode([UInt8](bytes))
    } catch {
      throw WorkerError.planInvalid(path: url.path, reason: "\(error)")
    }
    guard plan.runs.indices.contains(index) else {
      throw WorkerError.noSuchRun(index: index, count: plan.runs.count, path: url.path)
    }
    let run = plan.runs[index]
    guard run.config.kernel == .portable || kernel == plan.kernel else {
      throw WorkerError.kernelMismatch(run: run.name, host: host, has: kernel, needs: plan.kernel)
    }
    guard engine == plan.engine else {
      throw WorkerError.engineMismatch(run: run.name, host: host, has: engine, needs: plan.engine)
    }
    let key = RunKey(config: run.config)
    guard key.hex == run.key else {
      throw WorkerError.keyMismatch(run: run.name, host: host, derived: key.hex, planned: run.key)
    }
    let store = RunStage.store(cacheDirectory: RunPlan.cache(ofPlan: url))
    let clock = ContinuousClock()
    let start = clock.now
    let result: RunResult
    do {
      result = try function(run.config) { _, _ in }
    } catch {
      throw WorkerError.trainingFailed(run: run.name, reason: "\(error)")
    }
    do {
      try RunStage.storeResult(result, key: key, in: store)
    } catch {
      throw WorkerError.storeFailed(run: run.name, reason: "\(error)")
    }
    let elapsed = clock.now - start
    let seconds = elapsed.inSeconds
    return "\(run.name): \(result.steps) steps in " + String(format: "%.1f", seconds)
      + " s on \(host) (BLAS kernel \(kernel))"
  }

  /// This machine's host name, as the failure messages name the node.
  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return "unknown host" }
    let name = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: name, as: UTF8.self)
  }
}

/// Why a worker did not store its run. Each description is one line for the task's log.
public enum WorkerError: Error, Equatable, CustomStringConvertible {
  /// The plan file is not readable from this node.
  case planUnreadable(path: String, host: String)
  case planInvalid(path: String, reason: String)
  case noSuchRun(index: Int, count: Int, path: String)
  /// This node's OpenBLAS kernel is not the one the run's key names.
  case kernelMismatch(run: String, host: String, has: String, needs: String)
  /// This executable's engine is not the one that planned the build.
  case engineMismatch(run: String, host: String, has: String, needs: String)
  /// The key re-derived from the configuration differs from the planned one.
  case keyMismatch(run: String, host: String, derived: String, planned: String)
  case trainingFailed(run: String, reason: String)
  case storeFailed(run: String, reason: String)

  /// Text that marks an unreadable plan in a task's log (the build looks for it).
  static let planUnreadableMarker = "cannot read the plan"

  public var description: String {
    switch self {
    case .planUnreadable(let path, let host):
      return "report worker: \(Self.planUnreadableMarker) \(path) on node \(host): the cache folder "
        + "must be on storage every node sees"
    case .planInvalid(let path, let reason):
      return "report worker: the plan \(path) is not a plan this report version reads (\(reason))"
    case .noSuchRun(let index, let count, let path):
      return "report worker: the plan \(path) has \(count) runs; there is no index \(index)"
    case .kernelMismatch(let run, let host, let has, let needs):
      return "report worker: refusing run \(run) on node \(host): it has BLAS kernel \(has) but the "
        + "run's key needs \(needs) (results differ between kernels); use nodes whose CPUs run \(needs), "
        + "e.g. with --slurm-option=--constraint=…"
    case .engineMismatch(let run, let host, let has, let needs):
      return "report worker: refusing run \(run) on node \(host): this executable has engine version "
        + "\(has) but the build was planned with \(needs); the tasks must run the report executable "
        + "that planned the build"
    case .keyMismatch(let run, let host, let derived, let planned):
      return "report worker: refusing run \(run) on node \(host): its configuration gives key "
        + "\(derived.prefix(12))… here but \(planned.prefix(12))… in the plan; the tasks must run the "
        + "report executable that planned the build"
    case .trainingFailed(let run, let reason):
      return "report worker: run \(run) failed: \(reason)"
    case .storeFailed(let run, let reason):
      return "report worker: run \(run) trained but its cache entry could not be written: \(reason)"
    }
  }
}
