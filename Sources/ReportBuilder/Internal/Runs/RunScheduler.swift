import Foundation
import GANEngine

/// Trains runs in parallel: `jobs` lanes of ``Parallel``, each running one
/// single-threaded training at a time, until the queue is empty or a run fails.
///
/// Finished results are handed to `completed` on the lane's thread as they arrive
/// (the build writes them to the cache right away, so an interrupted build keeps them).
enum RunScheduler {
  struct Failure: Error {
    var job: RunJob
    var error: any Error
  }

  /// Runs every job; returns the results by key.
  ///
  /// - Throws: the first ``Failure`` (after the runs already started have finished).
  static func run(
    _ jobs: [RunJob], parallelism: Int, function: @escaping RunFunction,
    display: ProgressDisplay,
    completed: @escaping @Sendable (RunJob, RunResult) throws -> Void
  ) throws -> [RunKey: RunResult] {
    guard !jobs.isEmpty else { return [:] }
    let state = Locked((results: [RunKey: RunResult](), failure: Failure?.none))
    Parallel.forEach(jobs.count, lanes: parallelism) { index, slot in
      let job = jobs[index]
      display.start(slot: slot, name: job.name, total: job.config.steps)
      do {
        let result = try function(job.config) { step, _ in display.update(slot: slot, step: step) }
        try completed(job, result)
        display.finish(
          slot: slot,
          note: result.diverged ? "diverged at step \(result.divergedAtStep ?? result.steps)" : "")
        state.withLock { $0.results[job.key] = result }
        return true
      } catch {
        if error is BuildCancelled {
          display.abandon(slot: slot)  // never started: nothing to report
        } else {
          display.finish(slot: slot, note: "failed")
        }
        state.withLock { if $0.failure == nil { $0.failure = Failure(job: job, error: error) } }
        return false
      }
    }
    display.close()
    let outcome = state.current
    if let failure = outcome.failure { throw failure }
    return outcome.results
  }
}
