import Testing

@testable import ReportServer

/// The debounce as a state machine: times are passed in, so nothing here sleeps.
/// Times and periods are binary fractions, so the sums compare exactly.
@Suite struct RebuildSchedulerTests {
  let quiet = 0.25
  let maxDelay = 1.0

  @Test func idleUntilAChange() {
    let scheduler = RebuildScheduler(quietPeriod: quiet, maxDelay: maxDelay)
    #expect(scheduler.decision(now: 100) == .idle)
    #expect(!scheduler.shouldCancelBuild(now: 100))
  }

  @Test func aBurstOfSavesIsOneBuildAfterTheLast() {
    var scheduler = RebuildScheduler(quietPeriod: quiet, maxDelay: maxDelay)
    scheduler.fileChanged(at: 10)
    #expect(scheduler.decision(now: 10) == .wait(until: 10.25))
    scheduler.fileChanged(at: 10.125)  // editor writes a temp file, then renames
    scheduler.fileChanged(at: 10.1875)
    #expect(scheduler.decision(now: 10.25) == .wait(until: 10.4375))
    #expect(scheduler.decision(now: 10.4375) == .build)
    scheduler.buildStarted()
    scheduler.buildFinished()
    #expect(scheduler.decision(now: 11) == .idle, "the burst was built once")
  }

  @Test func aStreamOfSavesIsBuiltByTheMaximumDelay() {
    var scheduler = RebuildScheduler(quietPeriod: quiet, maxDelay: maxDelay)
    var time = 20.0
    scheduler.fileChanged(at: time)
    while time < 22 {
      time += 0.125  // always inside the quiet period
      scheduler.fileChanged(at: time)
      if scheduler.decision(now: time) == .build { break }
    }
    #expect(time == 21, "built at first change + maxDelay, not after the stream")
  }

  @Test func changesDuringABuildCancelItOnceDueAndBuildAgain() {
    var scheduler = RebuildScheduler(quietPeriod: quiet, maxDelay: maxDelay)
    scheduler.fileChanged(at: 1)
    #expect(scheduler.decision(now: 1.25) == .build)
    scheduler.buildStarted()
    #expect(scheduler.decision(now: 2) == .idle, "never two builds at once")
    #expect(!scheduler.shouldCancelBuild(now: 2))
    scheduler.fileChanged(at: 3)
    #expect(!scheduler.shouldCancelBuild(now: 3.125), "not before the burst is over")
    #expect(scheduler.shouldCancelBuild(now: 3.25))
    #expect(scheduler.decision(now: 3.25) == .idle, "still building")
    scheduler.buildFinished()
    #expect(scheduler.decision(now: 3.5) == .build, "the newest chapters are built next")
    scheduler.buildStarted()
    #expect(!scheduler.shouldCancelBuild(now: 4))
  }

  @Test func aChangeDuringABuildThatEndsEarlyWaitsForItsQuietPeriod() {
    var scheduler = RebuildScheduler(quietPeriod: quiet, maxDelay: maxDelay)
    scheduler.fileChanged(at: 1)
    scheduler.buildStarted()
    scheduler.fileChanged(at: 1.5)
    scheduler.buildFinished()
    #expect(scheduler.decision(now: 1.5) == .wait(until: 1.75))
  }
}
