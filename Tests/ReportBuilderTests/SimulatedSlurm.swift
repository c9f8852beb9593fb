import Foundation
import GANEngine

@testable import ReportBuilder

/// A cluster in the test process: `sbatch` records the array, and each look at the queue
/// runs the next pending task through the real worker (`PlanWorker`), writing its logs
/// where `--output`/`--error` say. Tasks listed in `failing` end as FAILED with the
/// worker's error in their log, without running it; `kernel` is what the "node" has.
final class SimulatedSlurm: SlurmControl, @unchecked Sendable {
  struct Array {
    var job: String
    var count: Int
    var limit: Int?
    var plan: URL
    var errorPattern: String
    var arguments: [String]
    var states: [Int: SlurmTask] = [:]
  }

  private let lock = NSLock()
  private(set) var arrays: [Array] = []
  private(set) var cancelled: [String] = []
  var failing: Set<Int> = []
  var kernel = BLASKernel.coreName
  var host = "node1"
  var reachable = true
  /// sbatch's complaint, when it should refuse the submission.
  var refusal: String?
  /// Tasks started per look at the queue.
  var tasksPerPoll = 1
  /// When set, no task ever starts (to test detaching and cancelling).
  var frozen = false
  private var nextJob = 100

  func checkReachable() throws {
    if !reachable { throw SlurmError.unreachable(detail: "scontrol ping: Slurmctld(primary) at ctl is DOWN") }
  }

  func submit(_ arguments: [String]) throws -> String {
    if let refusal { throw SlurmError.submitFailed(detail: refusal) }
    lock.lock()
    defer { lock.unlock() }
    nextJob += 1
    let job = String(nextJob)
    func value(_ name: String) -> String? {
      arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) }
    }
    let range = value("array")!
    let parts = range.dropFirst(2).split(separator: "%")
    let count = Int(parts[0])! + 1
    let script = try String(contentsOfFile: arguments.last!, encoding: .utf8)
    // The plan is the second quoted word of the script's exec line.
    let exec = script.split(separator: "\n").first { $0.hasPrefix("exec ") }!
    let quoted = exec.split(separator: "'", omittingEmptySubsequences: false).map(String.init)
    let plan = URL(fileURLWithPath: quoted[3])
    var array = Array(
      job: job, count: count, limit: parts.count > 1 ? Int(parts[1]) : nil, plan: plan,
      errorPattern: value("error")!, arguments: arguments)
    for index in 0..<count { array.states[index] = SlurmTask(state: "PENDING", exitCode: nil, node: nil) }
    arrays.append(array)
    return job
  }

  func queue(job: String) -> [Int: SlurmTask]? {
    lock.lock()
    defer { lock.unlock() }
    guard let position = arrays.firstIndex(where: { $0.job == job }) else { return [:] }
    if !frozen {
      var started = 0
      for index in 0..<arrays[position].count where started < tasksPerPoll {
        guard arrays[position].states[index]?.state == "PENDING" else { continue }
        started += 1
        runTask(position, index)
      }
    }
    return arrays[position].states.filter { ["PENDING", "RUNNING"].contains($0.value.state) }
  }

  func history(job: String) -> [Int: SlurmTask] {
    lock.withLock { arrays.first { $0.job == job }?.states ?? [:] }
  }

  func cancel(job: String) throws {
    lock.withLock {
      cancelled.append(job)
      guard let position = arrays.firstIndex(where: { $0.job == job }) else { return }
      for (index, task) in arrays[position].states where task.state == "PENDING" || task.state == "RUNNING" {
        arrays[position].states[index] = SlurmTask(state: "CANCELLED", exitCode: "0:0", node: task.node)
      }
    }
  }

  func errorLog(job: String, index: Int) -> URL {
    let array = lock.withLock { arrays.first { $0.job == job }! }
    return URL(fileURLWithPath: array.errorPattern.replacingOccurrences(of: "%A", with: job)
      .replacingOccurrences(of: "%a", with: String(index)))
  }

  /// Lock held.
  private func runTask(_ position: Int, _ index: Int) {
    let array = arrays[position]
    let log = URL(fileURLWithPath: array.errorPattern.replacingOccurrences(of: "%A", with: array.job)
      .replacingOccurrences(of: "%a", with: String(index)))
    if failing.contains(index) {
      try? Data("report worker: run failed: simulated crash\n".utf8).write(to: log)
      arrays[position].states[index] = SlurmTask(state: "FAILED", exitCode: "1:0", node: host)
      return
    }
    do {
      let line = try PlanWorker.run(
        plan: array.plan, index: index, kernel: kernel, engine: EngineInfo.version, host: host,
        function: engineRunFunction)
      try? Data((line + "\n").utf8).write(to: log)
      arrays[position].states[index] = SlurmTask(state: "COMPLETED", exitCode: "0:0", node: host)
    } catch {
      try? Data("\(error)\n".utf8).write(to: log)
      arrays[position].states[index] = SlurmTask(state: "FAILED", exitCode: "1:0", node: host)
    }
  }
}
