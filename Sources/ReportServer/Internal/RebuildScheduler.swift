/// When to rebuild: the debounce as a pure state machine, driven by times passed in
/// (seconds on a monotonic clock), so its tests need no real clock.
///
/// A change makes a build due `quietPeriod` after the last change of a burst, but no
/// later than `maxDelay` after the burst's first change (a stream of saves still gets
/// built). Changes that arrive during a build are kept for the next one; once they
/// are due, the running build is asked to stop (``shouldCancelBuild(now:)``) so that
/// the newest chapters are built as soon as possible.
struct RebuildScheduler: Sendable {
  /// What the build loop should do now.
  enum Decision: Equatable {
    /// Nothing pending: sleep until told of a change.
    case idle
    /// A change is pending: sleep until this time, then ask again.
    case wait(until: Double)
    /// Start a build now (call ``buildStarted()``).
    case build
  }

  let quietPeriod: Double
  let maxDelay: Double
  private(set) var firstChange: Double?
  private(set) var lastChange: Double?
  private(set) var isBuilding = false

  init(quietPeriod: Double = 0.03, maxDelay: Double = 0.25) {
    precondition(quietPeriod >= 0 && maxDelay >= quietPeriod, "need 0 ≤ quietPeriod ≤ maxDelay")
    self.quietPeriod = quietPeriod
    self.maxDelay = maxDelay
  }

  /// A watched file changed at `time`.
  mutating func fileChanged(at time: Double) {
    if firstChange == nil { firstChange = time }
    lastChange = max(lastChange ?? time, time)
  }

  /// When the pending changes are due, or nil when nothing is pending.
  var dueTime: Double? {
    guard let firstChange, let lastChange else { return nil }
    return min(lastChange + quietPeriod, firstChange + maxDelay)
  }

  /// What to do at `now` (while no build runs).
  func decision(now: Double) -> Decision {
    guard !isBuilding, let due = dueTime else { return .idle }
    return now >= due ? .build : .wait(until: due)
  }

  /// A build starts: it will read every change seen so far.
  mutating func buildStarted() {
    isBuilding = true
    firstChange = nil
    lastChange = nil
  }

  /// The build finished (built, failed or cancelled).
  mutating func buildFinished() {
    isBuilding = false
  }

  /// Whether the running build should stop because newer changes are due.
  func shouldCancelBuild(now: Double) -> Bool {
    guard isBuilding, let due = dueTime else { return false }
    return now >= due
  }
}
