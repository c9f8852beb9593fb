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
  let cacheDirectory: URL
  /// Where missing runs train; a Slurm array runs them in `report worker` tasks.
  var executor: Executor = .local
  /// The Slurm commands (tests simulate a cluster).
  var slurm: any SlurmControl = SlurmCommands()

  init(cacheDirectory: URL, useCache: Bool, jobs: Int, function: @escaping RunFunction,
       progressStyle: ProgressDisplay.Style) {
    store = Self.store(cacheDirectory: cacheDirectory)
    self.cacheDirectory = cacheDirectory
    self.useCache = useCache
    self.jobs = jobs
    self.function = function
    self.progressStyle = progressStyle
  }

  /// The run entries under `cacheDirectory/runs` (also written by cluster tasks).
  static func store(cacheDirectory: URL) -> EntryStore {
    EntryStore(
      directory: cacheDirectory.appendingPathComponent("runs"), magic: "RBRUN001", fileExtension: "run")
  }

  /// Writes `result` as its cache entry and returns the entry's checksum. Timing is
  /// not content: `msPerStep` is zeroed so the entry's bytes are reproducible.
  @discardableResult
  static func storeResult(_ result: RunResult, key: RunKey, in store: EntryStore) throws -> String {
    try store.write(key.hex, payload: try RunCodec.encode(cacheable(result)))
  }

  /// `result` as the cache holds it (and as the build uses it).
  static func cacheable(_ result: RunResult) -> RunResult {
    var stored = result
    stored.msPerStep = 0
    return stored
  }

  /// The runs every directive needs, one per (experiment, seed), deduplicated by key.
  static func jobs(for manuscript: Manuscript) -> [RunJob] {
    var seen = Set<RunKey>()
    return manuscript.directives.flatMap(\.runs).filter { seen.insert($0.key).inserted }
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
    if !missing.isEmpty, case .slurm(let settings) = executor {
      try runOnSlurm(missing, settings: settings, results: &results, checksums: &checksums)
    } else if !missing.isEmpty {
      let totalSteps = missing.reduce(0) { $0 + $1.config.steps }
      let display = ProgressDisplay(style: progressStyle, totalRuns: missing.count, totalSteps: totalSteps)
      let store = self.store
      let written = Locked([RunKey: String]())
      let (onEvent, isCancelled, base, toTrain) = (self.onEvent, self.isCancelled, self.function, missing.count)
      let steps = Locked((byRun: [RunKey: Int](), sum: 0))
      let function: RunFunction = { config, progress in
        if isCancelled?() == true { throw BuildCancelled() }
        guard let onEvent else { return try base(config, progress) }
        let key = RunKey(config: config)
        return try base(config) { step, total in
          progress(step, total)
          let done = steps.withLock { tally in
            tally.sum += step - (tally.byRun[key] ?? 0)
            tally.byRun[key] = step
            return tally.sum
          }
          onEvent(.trainingProgress(stepsDone: done, stepsTotal: totalSteps))
        }
      }
      let fresh = try RunScheduler.run(
        missing, parallelism: jobs, function: function, display: display
      ) { job, result in
        let checksum = try Self.storeResult(result, key: job.key, in: store)
        let finished = written.withLock { $0[job.key] = checksum; return $0.count }
        onEvent?(.runFinished(name: job.name, finished: finished, toTrain: toTrain))
      }
      for (key, result) in fresh { results[key] = Self.cacheable(result) }
      for (key, checksum) in written.current { checksums[key] = checksum }
    }
    return Output(results: results, checksums: checksums, executed: missing.count, cached: cached)
  }

  /// Trains `missing` as a Slurm job array, then reads the entries its tasks wrote.
  /// Throws ``SlurmArray/Detached`` with `--detach`; ``BuildError`` otherwise.
  private func runOnSlurm(
    _ missing: [RunJob], settings: SlurmSettings, results: inout [RunKey: RunResult],
    checksums: inout [RunKey: String]
  ) throws {
    let watch = InterruptWatch()
    defer { watch.stop() }
    var array = SlurmArray(settings: settings, cache: cacheDirectory, control: slurm, style: progressStyle)
    array.interrupted = { watch.received != nil }
    do {
      try array.run(missing)
    } catch let error as SlurmError {
      throw BuildError.executorFailed(lines: ["error: \(error)"])
    } catch let failed as SlurmArray.Failed {
      throw BuildError.executorFailed(lines: failed.report.lines)
    }
    for job in missing {
      guard case .found(let payload, let checksum) = store.read(job.key.hex),
        let result = RunCodec.decode(payload), result.config == job.config
      else {
        throw BuildError.io(
          path: store.url(for: job.key.hex).path,
          reason: "the Slurm task for run \(job.name) left no valid cache entry")
      }
      results[job.key] = result
      checksums[job.key] = checksum
    }
  }
}
