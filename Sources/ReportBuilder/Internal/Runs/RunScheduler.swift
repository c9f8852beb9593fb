import Foundation
import GANEngine

/// Trains runs in parallel: `jobs` worker threads, each running one single-threaded
/// training at a time, until the queue is empty or a run fails.
///
/// Finished results are handed to `completed` on the worker's thread as they arrive
/// (the build writes them to the cache right away, so an interrupted build keeps them).
enum RunScheduler {
  struct Failure: Error {
    var job: RunJob
    var error: any Error
  }

  private final class State: @unchecked Sendable {
    let lock = NSLock()
    var next = 0
    var results: [RunKey: RunResult] = [:]
    var failure: Failure?
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
    let state = State()
    let workers = max(1, min(parallelism, jobs.count))
    let group = DispatchGroup()
    for slot in 0..<workers {
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        while true {
          let index: Int? = state.lock.withLock {
            guard state.failure == nil, state.next < jobs.count else { return nil }
            defer { state.next += 1 }
            return state.next
          }
          guard let index else { return }
          let job = jobs[index]
          display.start(slot: slot, name: job.name, total: job.config.steps)
          do {
            let result = try function(job.config) { step, _ in display.update(slot: slot, step: step) }
            try completed(job, result)
            display.finish(
              slot: slot,
              note: result.diverged ? "diverged at step \(result.divergedAtStep ?? result.steps)" : "")
            state.lock.withLock { state.results[job.key] = result }
          } catch {
            if error is BuildCancelled {
              display.abandon(slot: slot)  // never started: nothing to report
            } else {
              display.finish(slot: slot, note: "failed")
            }
            state.lock.withLock {
              if state.failure == nil { state.failure = Failure(job: job, error: error) }
            }
          }
        }
      }
      thread.stackSize = 16 << 20
      thread.start()
    }
    group.wait()
    display.close()
    if let failure = state.lock.withLock({ state.failure }) { throw failure }
    return state.lock.withLock { state.results }
  }
}
