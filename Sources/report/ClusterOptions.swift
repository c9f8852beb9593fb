import ArgumentParser
import Foundation
import ReportBuilder

/// `report build`'s options for training the missing runs on a Slurm cluster.
struct ClusterOptions: ParsableArguments {
  enum Kind: String, ExpressibleByArgument, CaseIterable {
    case local, slurm
  }

  @Option(help: "Where missing runs train: local (this machine) or slurm (one Slurm job array).")
  var executor: Kind = .local

  @Option(name: .customLong("slurm-partition"), help: "Slurm partition for the job array.")
  var partition: String?

  @Option(name: .customLong("slurm-max-parallel"), help: "At most this many tasks at once (the array's %LIMIT).")
  var maxParallel: Int?

  @Option(name: .customLong("slurm-time"), help: "Time limit per task, in Slurm's format (30, 1:00:00).")
  var time: String?

  @Option(
    name: .customLong("slurm-option"), parsing: .unconditionalSingleValue,
    help: "An option passed to sbatch as it is (repeatable), e.g. --slurm-option --mem=2G.")
  var options: [String] = []

  @Option(
    name: .customLong("slurm-worker"),
    help: "The report executable the tasks run (default: this one); it must be on storage every node sees.")
  var worker: String?

  @Flag(help: "Submit the job array and exit; a later build collects the results.")
  var detach = false

  func validate() throws {
    if executor == .local {
      let given = [
        partition.map { _ in "--slurm-partition" }, maxParallel.map { _ in "--slurm-max-parallel" },
        time.map { _ in "--slurm-time" }, options.isEmpty ? nil : "--slurm-option",
        worker.map { _ in "--slurm-worker" }, detach ? "--detach" : nil,
      ].compactMap { $0 }
      if let first = given.first {
        throw ValidationError("\(first) needs --executor slurm")
      }
    }
    if let maxParallel, maxParallel < 1 {
      throw ValidationError("--slurm-max-parallel must be at least 1, got \(maxParallel)")
    }
    for option in options where !option.hasPrefix("-") {
      throw ValidationError("--slurm-option takes an sbatch option such as --mem=2G, got '\(option)'")
    }
  }

  /// The executor these options describe.
  func makeExecutor() throws -> Executor {
    guard executor == .slurm else { return .local }
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    let executable: URL
    if let worker {
      executable = URL(fileURLWithPath: worker, relativeTo: cwd).standardizedFileURL
    } else {
      executable = Self.currentExecutable()
    }
    var settings = SlurmSettings(workerExecutable: executable)
    settings.partition = partition
    settings.maxParallel = maxParallel
    settings.timeLimit = time
    settings.extraOptions = options
    settings.detach = detach
    return .slurm(settings)
  }

  /// The absolute path of the running `report` executable.
  static func currentExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    return URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: cwd).standardizedFileURL
  }
}
