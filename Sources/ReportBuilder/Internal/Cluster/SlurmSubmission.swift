import Foundation

/// The `sbatch` command line and batch script for one job array.
///
/// Task `i` runs `report worker PLAN i` on one core, with the kernel the keys name in
/// `REPORT_BLAS_CORETYPE` (so the worker restarts onto that kernel exactly as a local
/// build chooses one) and its output in `CACHE/slurm/logs/JOB_INDEX.{out,err}`.
struct SlurmSubmission: Equatable {
  var count: Int
  var planID: String
  var kernel: String
  var logFolder: URL
  var script: URL

  /// `sbatch` arguments, the user's own options last so that they win.
  func arguments(_ settings: SlurmSettings) -> [String] {
    precondition(count > 0, "SlurmSubmission: an array needs at least one task")
    var array = "--array=0-\(count - 1)"
    if let limit = settings.maxParallel { array += "%\(limit)" }
    var arguments = [
      "--parsable",
      "--job-name=report-\(planID.prefix(8))",
      array,
      "--ntasks=1",
      "--cpus-per-task=1",
      "--output=" + logFolder.appendingPathComponent("%A_%a.out").path,
      "--error=" + logFolder.appendingPathComponent("%A_%a.err").path,
      "--export=ALL,REPORT_BLAS_CORETYPE=\(kernel)",
    ]
    if let partition = settings.partition { arguments.append("--partition=\(partition)") }
    if let time = settings.timeLimit { arguments.append("--time=\(time)") }
    arguments += settings.extraOptions
    arguments.append(script.path)
    return arguments
  }

  /// The batch script: one `exec` of the worker on the task's index.
  static func script(worker: URL, plan: URL) -> String {
    """
    #!/bin/sh
    # report: one run of a build's plan per array task (written by `report build --executor slurm`).
    exec \(shellQuoted(worker.path)) worker \(shellQuoted(plan.path)) "$SLURM_ARRAY_TASK_ID"

    """
  }

  /// `text` in single quotes, safe for `sh` whatever it contains.
  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
