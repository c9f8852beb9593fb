import Foundation
import Testing

@testable import ReportBuilder

/// The hooks a live front end uses: run events and cancelling between runs.
@Suite struct BuildEventTests {
  final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [BuildEvent] = []
    func add(_ event: BuildEvent) { lock.withLock { list.append(event) } }
    var events: [BuildEvent] { lock.withLock { list } }
  }

  @Test func eventsCountTheRunsToTrain() throws {
    let project = try TempProject()
    try project.write("01-a.md", "# A\n\n" + quickExperiment("a", seeds: "1-3"))
    let recorder = Recorder()
    var options = project.options
    options.jobs = 1
    options.onEvent = { recorder.add($0) }
    _ = try project.build(options: options)
    #expect(recorder.events.first == .runsPlanned(total: 3, toTrain: 3))
    #expect(recorder.events.compactMap { event -> Int? in
      if case .runFinished(_, let finished, 3) = event { return finished }
      return nil
    } == [1, 2, 3])
    let steps = recorder.events.compactMap { event -> Int? in
      if case .trainingProgress(let done, 120) = event { return done }
      return nil
    }
    #expect(!steps.isEmpty && steps == steps.sorted() && steps.last == 120,
            "steps over the three 40-step runs rise to 120")

    let again = Recorder()
    options.onEvent = { again.add($0) }
    _ = try project.build(options: options)
    #expect(again.events == [.runsPlanned(total: 3, toTrain: 0)])
  }

  @Test func cancellingKeepsFinishedRunsAndTheSite() throws {
    let project = try TempProject()
    try project.write("01-a.md", "# A\n\nFirst.\n")
    _ = try project.build()
    let site = try project.siteFiles()

    try project.write("01-a.md", "# A\n\nSecond.\n\n" + quickExperiment("a", seeds: "1-4"))
    let recorder = Recorder()
    var options = project.options
    options.jobs = 1
    options.onEvent = { recorder.add($0) }
    options.isCancelled = {  // after the first run finished
      recorder.events.contains { if case .runFinished = $0 { return true } else { return false } }
    }
    #expect(throws: BuildCancelled.self) { try project.build(options: options) }
    #expect(try project.siteFiles() == site, "a cancelled build leaves the site as it was")

    let counter = RunCounter()
    let summary = try project.build(counter: counter)
    #expect(summary.runsCached == 1 && summary.runsExecuted == 3, "the finished run was kept")
    #expect(counter.runs.count == 3)
  }
}
