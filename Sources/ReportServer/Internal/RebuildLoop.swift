import Foundation

/// The thread that builds: waits for changes as ``RebuildScheduler`` decides, runs
/// one build at a time, and lets a build in progress know when newer changes want it
/// to stop.
final class RebuildLoop: @unchecked Sendable {
  /// One build; its argument says whether newer changes want it to stop.
  typealias Build = @Sendable (_ isCancelled: @escaping @Sendable () -> Bool) -> Void

  private let condition = NSCondition()
  private var scheduler: RebuildScheduler
  private var stopped = false
  private let build: Build
  private let finished = DispatchSemaphore(value: 0)

  init(scheduler: RebuildScheduler, build: @escaping Build) {
    self.scheduler = scheduler
    self.build = build
  }

  /// Seconds on the monotonic clock.
  static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }

  /// Starts the thread.
  func start() {
    let thread = Thread { [self] in loop() }
    thread.name = "rebuild-loop"
    thread.stackSize = 16 << 20
    thread.start()
  }

  /// A chapter changed (or a first build is wanted).
  func fileChanged() {
    condition.withLock {
      scheduler.fileChanged(at: Self.now())
      condition.signal()
    }
  }

  /// Ends the loop after the build in progress, if any; does not wait for it.
  func stop() {
    condition.withLock {
      stopped = true
      condition.signal()
    }
  }

  private func loop() {
    while true {
      condition.lock()
      var go = false
      while !stopped && !go {
        switch scheduler.decision(now: Self.now()) {
        case .build:
          go = true
        case .idle:
          condition.wait()
        case .wait(let until):
          _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, until - Self.now())))
        }
      }
      if stopped {
        condition.unlock()
        return
      }
      scheduler.buildStarted()
      condition.unlock()
      build { [self] in
        condition.withLock { stopped || scheduler.shouldCancelBuild(now: Self.now()) }
      }
      condition.withLock { scheduler.buildFinished() }
    }
  }
}
