import Foundation
import GANEngine

/// Gets a result for every run the site declares: from the cache when possible,
/// otherwise by training (in parallel), writing each new result to the cache.
struct RunStage {
  struct Output {
    var results: [RunKey: RunResult]
    /// SHA-256 of each result's cache payload: identifies its content for figure keys.
    var checksums: [RunKey: String]
    var executed: Int
    var cached: Int
  }

  let store: EntryStore
  let useCache: Bool
  let jobs: Int
  let function: RunFunction
  let progressStyle: ProgressDisplay.Style
  /// Told when the runs are planned, as they train and as each finishes
  /// (see ``BuildOptions/onEvent``).
  var onEvent: (@Sendable (BuildEvent) -> Void)?
  /// Asked before each run starts; `true` makes it throw ``BuildCancelled``.
  var isCancelled: (@Sendable () -> Bool)?

  init(cacheDirectory: URL, useCache: Bool, jobs: Int, function: @escaping RunFunction,
       progressStyle: ProgressDisplay.Style) {
    store = EntryStore(
      directory: cacheDirectory.appendingPathComponent("runs"), magic: "RBRUN001", fileExtension: "run")
    self.useCache = useCache
    self.jobs = jobs
    self.function = function
    self.progressStyle = progressStyle
  }

  /// The runs of every experiment, one per (experiment, seed), deduplicated by key.
  static func jobs(for site: Site) -> [RunJob] {
    var seen = Set<RunKey>()
    var jobs: [RunJob] = []
    for experiment in site.experiments {
      for config in experiment.runConfigs {
        let key = RunKey(config: config)
        if seen.insert(key).inserted {
          jobs.append(RunJob(key: key, config: config, experiment: experiment.id))
        }
      }
    }
    return jobs
  }

  func run(_ planned: [RunJob], warnings: inout [String]) throws -> Output {
    var results: [RunKey: RunResult] = [:]
    var checksums: [RunKey: String] = [:]
    var missing: [RunJob] = []
    for job in planned {
      guard useCache else { missing.append(job); continue }
      switch store.read(job.key.hex) {
      case .missing:
        missing.append(job)
      case .corrupt(let reason):
        warnings.append("cache entry for run \(job.name) (\(store.url(for: job.key.hex).lastPathComponent))"
          + " is corrupt (\(reason)); recomputing")
        missing.append(job)
      case .found(let payload, let checksum):
        if let result = RunCodec.decode(payload), result.config == job.config {
          results[job.key] = result
          checksums[job.key] = checksum
        } else {
          warnings.append("cache entry for run \(job.name) (\(store.url(for: job.key.hex).lastPathComponent))"
            + " does not decode; recomputing")
          missing.append(job)
        }
      }
    }
    let cached = results.count
    onEvent?(.runsPlanned(total: planned.count, toTrain: missing.count))
    if !missing.isEmpty {
      let display = ProgressDisplay(
        style: progressStyle, totalRuns: missing.count,
        totalSteps: missing.reduce(0) { $0 + $1.config.steps })
      let store = self.store
      let written = Checksums()
      let (onEvent, isCancelled, base, toTrain) = (self.onEvent, self.isCancelled, self.function, missing.count)
      let steps = StepTally(total: missing.reduce(0) { $0 + $1.config.steps })
      let function: RunFunction = { config, progress in
        if isCancelled?() == true { throw BuildCancelled() }
        guard let onEvent else { return try base(config, progress) }
        let key = RunKey(config: config)
        return try base(config) { step, total in
          progress(step, total)
          onEvent(.trainingProgress(stepsDone: steps.set(key, step), stepsTotal: steps.total))
        }
      }
      let fresh = try RunScheduler.run(
        missing, parallelism: jobs, function: function, display: display
      ) { job, result in
        var stored = result
        stored.msPerStep = 0  // timing is not content: keep cache bytes reproducible
        let finished = written.set(job.key, try store.write(job.key.hex, payload: try RunCodec.encode(stored)))
        onEvent?(.runFinished(name: job.name, finished: finished, toTrain: toTrain))
      }
      for (key, result) in fresh {
        var stored = result
        stored.msPerStep = 0
        results[key] = stored
      }
      for (key, checksum) in written.all { checksums[key] = checksum }
    }
    return Output(results: results, checksums: checksums, executed: missing.count, cached: cached)
  }

  /// Steps done per run being trained, summed for ``BuildEvent/trainingProgress(stepsDone:stepsTotal:)``.
  private final class StepTally: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [RunKey: Int] = [:]
    private var sum = 0
    let total: Int
    init(total: Int) { self.total = total }
    /// Records a run's step count; returns the sum over all runs.
    func set(_ key: RunKey, _ step: Int) -> Int {
      lock.withLock {
        sum += step - (steps[key] ?? 0)
        steps[key] = step
        return sum
      }
    }
  }

  private final class Checksums: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [RunKey: String] = [:]
    /// Records a checksum; returns how many are recorded now.
    @discardableResult
    func set(_ key: RunKey, _ value: String) -> Int {
      lock.withLock {
        values[key] = value
        return values.count
      }
    }
    var all: [RunKey: String] { lock.withLock { values } }
  }
}
