import Foundation

/// Where a build trains the runs that are missing from the cache.
///
/// ```swift
/// var options = BuildOptions(projectRoot: root)
/// var slurm = SlurmSettings(workerExecutable: URL(fileURLWithPath: "/shared/bin/report"))
/// slurm.partition = "short"
/// slurm.maxParallel = 16
/// options.executor = .slurm(slurm)
/// ```
public enum Executor: Sendable, Equatable {
  /// On this machine, `BuildOptions.jobs` runs at a time (the default).
  case local
  /// As one Slurm job array, one task per missing run; figures and pages are still
  /// rendered on this machine once every task has written its cache entry.
  case slurm(SlurmSettings)
}

/// How a build submits its runs to Slurm (`report build --executor slurm`).
///
/// The tasks read a plan from the cache folder and write their results into it, so the
/// cache folder (and the `report` executable) must be on storage every node sees.
/// `sbatch` also reads its own `SBATCH_*` environment variables (for example
/// `SBATCH_PARTITION`, `SBATCH_TIMELIMIT`, `SBATCH_ACCOUNT`), which serve as defaults.
public struct SlurmSettings: Sendable, Equatable {
  /// `--partition` for the array, or nil for Slurm's default.
  public var partition: String?
  /// The array's `%LIMIT`: at most this many tasks run at once (nil: no limit).
  public var maxParallel: Int?
  /// `--time` for each task (Slurm's formats: `30`, `1:00:00`, `1-0`), or nil.
  public var timeLimit: String?
  /// Further `sbatch` options, passed as they are (`--mem=2G`, `--account=lab`).
  public var extraOptions: [String]
  /// Submit and return at once; a later build collects what finished.
  public var detach: Bool
  /// The `report` executable the tasks run (`report worker PLAN INDEX`); it must be one
  /// whose engine version and BLAS kernel match this process's.
  public var workerExecutable: URL
  /// Seconds between two looks at the queue while waiting.
  public var pollInterval: Double

  /// No partition, limit or time; waits; the tasks run `workerExecutable`.
  public init(workerExecutable: URL) {
    partition = nil
    maxParallel = nil
    timeLimit = nil
    extraOptions = []
    detach = false
    self.workerExecutable = workerExecutable
    pollInterval = 1
  }
}
