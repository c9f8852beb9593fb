import Foundation

/// Trains a build's missing runs as one Slurm job array: writes the plan and the batch
/// script into the cache folder, submits, waits while showing the counts, and returns
/// once every run has its cache entry. Slurm does all scheduling; this only plans,
/// submits, watches the queue and the cache, and collects.
struct SlurmArray {
  /// Every run of the array arrived except these; the report says which and why.
  struct Failed: Error {
    var report: SlurmFailureReport
  }

  /// `--detach`: the array was submitted (or one from an earlier build still runs) and
  /// the build stops here.
  struct Detached: Error {
    var job: String
    var submitted: Int
  }

  let settings: SlurmSettings
  let cache: URL
  let control: any SlurmControl
  let style: ProgressDisplay.Style
  /// True once the user asked to stop (Ctrl-C).
  var interrupted: () -> Bool = { false }
  /// Waits between two looks at the queue.
  var pause: (Double) -> Void = { usleep(UInt32(max(0, $0) * 1e6)) }
  /// Where notes go (stderr).
  var note: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

  /// Trains every job in `jobs` (the runs the cache lacks, or all of them with
  /// `--no-cache`) unless an array an earlier build submitted delivers it.
  ///
  /// - Throws: ``SlurmError`` (no Slurm, no controller, submission refused), ``Failed``
  ///   (some runs did not arrive, or the wait was interrupted and the array cancelled),
  ///   ``Detached`` with `--detach`, ``BuildError/io(path:reason:)``.
  func run(_ jobs: [RunJob]) throws {
    try control.checkReachable()
    let store = RunStage.store(cacheDirectory: cache)
    let names = Dictionary(jobs.map { ($0.key.hex, $0.name) }, uniquingKeysWith: { first, _ in first })

    // Arrays an earlier build submitted and did not collect: wait for those still queued.
    var record = SubmittedArrays.read(cache: cache)
    record.arrays = record.arrays.filter { control.queue(job: $0.job).map { !$0.isEmpty } ?? true }
    try record.write(cache: cache)
    var delivered = Set<String>()
    if !record.arrays.isEmpty && !settings.detach {
      for array in record.arrays {
        if style != .quiet { note("waiting for Slurm job array \(array.job), submitted by an earlier build") }
        try wait(
          job: array.job, keys: array.keys, names: array.keys.map { names[$0] ?? "run \($0.prefix(8))" },
          store: store, before: [:], reportFailures: false)
        let arrived = array.keys.filter { Self.isValid(store, $0) }
        delivered.formUnion(arrived)
        if arrived.count == array.keys.count {
          removeFiles(job: array.job, plan: URL(fileURLWithPath: array.plan), count: array.keys.count)
        }
      }
      record.arrays = []
      try record.write(cache: cache)
    }

    let inFlight = Set(record.arrays.flatMap(\.keys))
    let remaining = jobs.filter { !delivered.contains($0.key.hex) && !inFlight.contains($0.key.hex) }
    guard !remaining.isEmpty else {
      if settings.detach, let last = record.arrays.last { throw Detached(job: last.job, submitted: 0) }
      return
    }

    let plan = RunPlan(jobs: remaining)
    let id = try plan.id
    let planURL = RunPlan.planURL(cache: cache, id: id)
    let scriptURL = RunPlan.scriptURL(cache: cache, id: id)
    try FileIO.writeAtomically(try plan.encoded(), to: planURL)
    try FileIO.writeAtomically(
      Array(SlurmSubmission.script(worker: settings.workerExecutable, plan: planURL).utf8), to: scriptURL)
    try FileIO.createDirectory(RunPlan.logFolder(cache: cache))
    let submission = SlurmSubmission(
      count: remaining.count, planID: id, kernel: plan.kernel, logFolder: RunPlan.logFolder(cache: cache),
      script: scriptURL)
    let keys = remaining.map(\.key.hex)
    // An entry may exist already (corrupt, or `--no-cache`): a run has arrived when its
    // entry is a new file (the worker renames a fresh one into place). Taken before
    // submitting, since a quick task may replace its entry before sbatch returns.
    let before = keys.reduce(into: [String: UInt64]()) { marks, key in
      marks[key] = Self.fileID(store.url(for: key))
    }
    let job: String
    do {
      job = try control.submit(submission.arguments(settings))
    } catch {
      try? FileManager.default.removeItem(at: planURL)
      try? FileManager.default.removeItem(at: scriptURL)
      throw error
    }
    record.arrays.append(SubmittedArrays.Array(job: job, plan: planURL.path, keys: keys))
    try record.write(cache: cache)
    if settings.detach { throw Detached(job: job, submitted: remaining.count) }

    try wait(job: job, keys: keys, names: remaining.map(\.name), store: store, before: before, reportFailures: true)
    record.arrays.removeAll { $0.job == job }
    try record.write(cache: cache)
    removeFiles(job: job, plan: planURL, count: keys.count)
  }

  /// Every run of an array arrived: its plan, script and logs are of no further use.
  private func removeFiles(job: String, plan: URL, count: Int) {
    try? FileManager.default.removeItem(at: plan)
    try? FileManager.default.removeItem(at: plan.deletingPathExtension().appendingPathExtension("sh"))
    for index in 0..<count {
      try? FileManager.default.removeItem(at: RunPlan.errorLog(cache: cache, job: job, index: index))
      try? FileManager.default.removeItem(at: RunPlan.outputLog(cache: cache, job: job, index: index))
    }
  }

  /// Polls the queue and the cache until no task of `job` is left in the queue.
  ///
  /// - Throws: ``Failed`` when interrupted (after cancelling the array) or, with
  ///   `reportFailures`, when some runs have no valid entry.
  private func wait(
    job: String, keys: [String], names: [String], store: EntryStore, before: [String: UInt64],
    reportFailures: Bool
  ) throws {
    let display = ArrayProgress(style: style, job: job, total: keys.count)
    var unreadable = 0
    while true {
      if interrupted() {
        display.close()
        try? control.cancel(job: job)
        var report = failureReport(job: job, keys: keys, names: names, store: store, before: before)
        report.interrupted = true
        throw Failed(report: report)
      }
      guard let queue = control.queue(job: job) else {
        unreadable += 1
        if unreadable >= 30 {
          display.close()
          throw SlurmError.unreachable(detail: "squeue has failed 30 times in a row while waiting for job \(job)")
        }
        pause(settings.pollInterval)
        continue
      }
      unreadable = 0
      var counts = ArrayProgress.Counts()
      for (index, key) in keys.enumerated() {
        if Self.arrived(store.url(for: key), before: before[key]) {
          counts.done += 1
        } else if let task = queue[index] {
          if task.isPending { counts.queued += 1 } else { counts.running += 1 }
        } else {
          counts.failed += 1
        }
      }
      display.show(counts)
      if queue.isEmpty { break }
      // Sleep in short steps so that Ctrl-C is answered at once.
      var slept = 0.0
      while slept < settings.pollInterval && !interrupted() {
        let step = min(0.1, settings.pollInterval - slept)
        pause(step)
        slept += step
      }
    }
    display.close()
    guard reportFailures else { return }
    let report = failureReport(job: job, keys: keys, names: names, store: store, before: before)
    if !report.failures.isEmpty { throw Failed(report: report) }
  }

  /// The runs of `job` without a valid cache entry, with what Slurm and the logs say.
  private func failureReport(
    job: String, keys: [String], names: [String], store: EntryStore, before: [String: UInt64]
  ) -> SlurmFailureReport {
    var failed: [Int] = []
    for (index, key) in keys.enumerated() {
      if Self.arrived(store.url(for: key), before: before[key]), Self.isValid(store, key) { continue }
      failed.append(index)
    }
    let history = failed.isEmpty ? [:] : control.history(job: job)
    let failures = failed.map { index -> SlurmFailureReport.Failure in
      let log = RunPlan.errorLog(cache: cache, job: job, index: index)
      let exists = FileManager.default.fileExists(atPath: log.path)
      return SlurmFailureReport.Failure(
        run: names[index], index: index, job: job, task: history[index], log: log, logExists: exists,
        lastLine: exists ? SlurmFailureReport.lastLine(of: log) : nil)
    }
    return SlurmFailureReport(job: job, failures: failures, total: keys.count, cache: cache)
  }

  // MARK: - Entries

  /// The entry at `url` exists and is not the file that was there at submission.
  static func arrived(_ url: URL, before: UInt64?) -> Bool {
    guard let now = fileID(url) else { return false }
    return now != before
  }

  /// The inode number of the file at `url`, if there is one.
  static func fileID(_ url: URL) -> UInt64? {
    var status = stat()
    guard stat(url.path, &status) == 0 else { return nil }
    return UInt64(status.st_ino)
  }

  static func isValid(_ store: EntryStore, _ key: String) -> Bool {
    guard case .found(let payload, _) = store.read(key) else { return false }
    return RunCodec.decode(payload) != nil
  }
}
