import Foundation

/// The Slurm commands a build uses. ``SlurmCommands`` runs the real ones; tests put a
/// simulated cluster behind the same calls.
protocol SlurmControl: Sendable {
  /// Fails with ``SlurmError`` when the client commands are missing or no controller answers.
  func checkReachable() throws
  /// Runs `sbatch ARGUMENTS` and returns the job id it prints (`--parsable`).
  func submit(_ arguments: [String]) throws -> String
  /// The tasks of `job` still in the queue (pending, running, completing), by array
  /// index; empty once every task has ended. Nil when the queue could not be read.
  func queue(job: String) -> [Int: SlurmTask]?
  /// Final states of the tasks of `job` (from the controller's memory or accounting).
  func history(job: String) -> [Int: SlurmTask]
  /// `scancel JOB`.
  func cancel(job: String) throws
}

/// A user-facing problem with Slurm itself, one line each.
enum SlurmError: Error, Equatable, CustomStringConvertible {
  case notInstalled(tool: String)
  case unreachable(detail: String)
  case submitFailed(detail: String)

  var description: String {
    switch self {
    case .notInstalled(let tool):
      return "--executor slurm: `\(tool)` is not on PATH; run the build on a machine with the Slurm "
        + "client commands (a cluster's login node, or install Debian's slurm-client), or use --executor local"
    case .unreachable(let detail):
      return "--executor slurm: no Slurm controller is reachable (\(detail)); check SLURM_CONF and that "
        + "slurmctld runs (on one machine: .ci/slurm/start-local-cluster.sh), or use --executor local"
    case .submitFailed(let detail):
      return "--executor slurm: sbatch refused the job array: \(detail)"
    }
  }
}

/// The real `sbatch`, `squeue`, `scontrol`, `sacct` and `scancel` from `PATH`.
struct SlurmCommands: SlurmControl {
  func checkReachable() throws {
    for tool in ["sbatch", "squeue", "scontrol", "scancel"] where Self.locate(tool) == nil {
      throw SlurmError.notInstalled(tool: tool)
    }
    let ping = try Self.run("scontrol", ["ping"])
    let text = (ping.output + ping.error).trimmingCharacters(in: .whitespacesAndNewlines)
    guard ping.status == 0, text.contains("is UP") else {
      let line = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "scontrol ping failed"
      throw SlurmError.unreachable(detail: "scontrol ping: \(line)")
    }
  }

  func submit(_ arguments: [String]) throws -> String {
    let result = try Self.run("sbatch", arguments)
    let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    // --parsable prints `JOBID` or `JOBID;CLUSTER`.
    let id = output.split(separator: ";").first.map(String.init) ?? ""
    guard result.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
      let detail = result.error.split(whereSeparator: \.isNewline).map(String.init)
        .filter { !$0.isEmpty }.joined(separator: "; ")
      throw SlurmError.submitFailed(detail: detail.isEmpty ? "exit status \(result.status)" : detail)
    }
    return id
  }

  func queue(job: String) -> [Int: SlurmTask]? {
    guard let result = try? Self.run("squeue", ["-h", "-r", "-j", job, "-o", "%K %t %N"]) else { return nil }
    if result.status != 0 {
      // A finished job drops out of the controller's memory after MinJobAge.
      return result.error.contains("Invalid job id") ? [:] : nil
    }
    return SlurmTask.parseQueue(result.output)
  }

  func history(job: String) -> [Int: SlurmTask] {
    var tasks: [Int: SlurmTask] = [:]
    if let accounting = try? Self.run(
      "sacct", ["-n", "-P", "-X", "-j", job, "-o", "JobID,State,ExitCode,NodeList"]), accounting.status == 0
    {
      tasks = SlurmTask.parseAccounting(accounting.output)
    }
    if let control = try? Self.run("scontrol", ["-o", "show", "job", job]), control.status == 0 {
      tasks.merge(SlurmTask.parseControl(control.output)) { _, fresh in fresh }
    }
    return tasks
  }

  func cancel(job: String) throws {
    let result = try Self.run("scancel", [job])
    guard result.status == 0 else {
      throw SlurmError.unreachable(detail: "scancel \(job): " + result.error.trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }

  // MARK: - Processes

  struct Result {
    var status: Int32
    var output: String
    var error: String
  }

  /// The first executable `tool` on `PATH`.
  static func locate(_ tool: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(tool)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// Runs `tool` with `arguments`, stdin closed, and collects both outputs.
  static func run(_ tool: String, _ arguments: [String]) throws -> Result {
    guard let executable = locate(tool) else { throw SlurmError.notInstalled(tool: tool) }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read stderr on another thread so that neither pipe can fill up and block the tool.
    let errorData = DataBox()
    let reader = Thread {
      errorData.value = error.fileHandleForReading.readDataToEndOfFile()
      errorData.done.signal()
    }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorData.done.wait()
    return Result(
      status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
      error: String(decoding: errorData.value, as: UTF8.self))
  }

  /// Written by the reader thread before it signals `done`; read after `done.wait()`.
  private final class DataBox: @unchecked Sendable {
    var value = Data()
    let done = DispatchSemaphore(value: 0)
  }
}
