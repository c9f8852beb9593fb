import Foundation

/// Why the runs of a job array did not all arrive, worded for the person at the terminal.
struct SlurmFailureReport: Equatable {
  /// One run that has no cache entry after its task ended.
  struct Failure: Equatable {
    var run: String
    var index: Int
    var job: String
    /// Slurm's final state, or nil when Slurm no longer knows the task.
    var task: SlurmTask?
    /// The task's stderr log and whether it exists on this machine.
    var log: URL
    var logExists: Bool
    /// The last non-empty line of the log (the worker's own error, usually).
    var lastLine: String?

    /// `job 123_4`.
    var taskID: String { "\(job)_\(index)" }

    var started: Bool { task?.node != nil || logExists }
  }

  var job: String
  var failures: [Failure]
  var total: Int
  var cache: URL
  /// Set when the build was interrupted (Ctrl-C) and cancelled the array.
  var interrupted = false

  /// Every task that ran and ended on its own (not cancelled, not timed out) left no log
  /// where this machine can read it, or its worker could not read the plan: the cache
  /// folder is not shared with the nodes. (A task cancelled just as it started may have
  /// no log yet, so cancelled tasks say nothing here.)
  var cacheNotShared: Bool {
    let ended = failures.filter { failure in
      guard let task = failure.task, task.node != nil else { return false }
      return task.state == "FAILED" || task.state == "COMPLETED"
    }
    guard !ended.isEmpty else { return false }
    return ended.allSatisfy { !$0.logExists || ($0.lastLine?.contains(WorkerError.planUnreadableMarker) ?? false) }
  }

  var lines: [String] {
    if cacheNotShared {
      return [
        "error: the Slurm tasks of job \(job) could not read their plan or write their logs in "
          + "\(cache.path): the cache folder must be on storage every node sees "
          + "(use --cache with a shared folder); the site was not changed."
      ]
    }
    let kept = total - failures.count
    var lines: [String] = []
    if interrupted {
      return [
        "interrupted: cancelled Slurm job array \(job); \(kept) of \(total) runs finished and are kept "
          + "in the cache; the site was not changed.",
        Self.rerunHint,
      ]
    } else {
      lines.append(
        "error: \(failures.count) of \(total) runs failed in Slurm job array \(job); the site was not changed, "
          + "the \(kept) finished run\(kept == 1 ? " is" : "s are") kept in the cache:")
    }
    for failure in failures.sorted(by: { $0.index < $1.index }) {
      var line = "  \(failure.run): array index \(failure.index), job \(failure.taskID), "
      line += Self.describe(failure.task)
      if failure.logExists {
        line += "; log \(failure.log.path)"
      } else if failure.started {
        line += "; its log \(failure.log.path) is not on this machine"
      }
      lines.append(line)
      if let last = failure.lastLine { lines.append("    \(last)") }
    }
    lines.append(Self.rerunHint)
    return lines
  }

  static let rerunHint = "Run `report build --executor slurm` again to submit only the missing runs."

  /// `FAILED (exit 1:0) on node1`, `TIMEOUT on node3`, `CANCELLED before it started`.
  static func describe(_ task: SlurmTask?) -> String {
    guard let task else { return "no longer known to Slurm" }
    var text: String
    switch task.state {
    case "COMPLETED": text = "COMPLETED without writing its cache entry"
    case "TIMEOUT": text = "TIMEOUT (hit its time limit; raise --slurm-time)"
    case "NODE_FAIL": text = "NODE_FAIL (its node died)"
    case "OUT_OF_MEMORY": text = "OUT_OF_MEMORY (pass more with --slurm-option --mem=…)"
    default: text = task.state
    }
    if task.state == "FAILED", let exit = task.exitCode { text += " (exit \(exit))" }
    if let node = task.node { text += " on \(node)" } else if task.state == "CANCELLED" { text += " before it started" }
    return text
  }

  /// The last non-empty line of a log, or nil.
  static func lastLine(of url: URL) -> String? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    let text = String(decoding: data.suffix(4096), as: UTF8.self)
    return text.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) }.map(String.init)
  }
}
