import Foundation
import GANEngine

/// Everything `report build` can be told: where the chapters are, where the site and
/// the run cache go, and how many runs may train at once.
///
/// ```swift
/// var options = BuildOptions(projectRoot: URL(fileURLWithPath: "."))
/// options.jobs = 2
/// let summary = try ReportBuilder.build(options: options)
/// ```
public struct BuildOptions: Sendable {
  /// Folder holding `*.md` chapters.
  public var chaptersDirectory: URL
  /// Folder the site is published to (replaced atomically).
  public var outputDirectory: URL
  /// Folder of the content-addressed run and figure cache.
  public var cacheDirectory: URL
  /// Runs trained at the same time (each single-threaded).
  public var jobs: Int
  /// Ignore cached results (they are still written after the runs).
  public var useCache: Bool
  /// Suppress progress output (errors and warnings still go to stderr).
  public var quiet: Bool
  /// Publish even when a claim does not hold: each false claim is marked in its page
  /// and listed as a warning (by default a false claim fails the build).
  public var allowFalseClaims: Bool
  /// Told when runs are planned, every few training steps, and as each run finishes
  /// (nil: nobody listens).
  public var onEvent: (@Sendable (BuildEvent) -> Void)?
  /// Asked before each run starts training; once it answers `true` no further run
  /// starts, the runs in progress finish (and are cached), and the build throws
  /// ``BuildCancelled``. Nil: never cancelled.
  public var isCancelled: (@Sendable () -> Bool)?
  /// Where missing runs are trained: here (the default) or as a Slurm job array.
  public var executor: Executor
  /// How the runs of experiments without a `kernel` key compute their products
  /// (default ``ProductKernel/portable``: the same bits on every CPU).
  public var kernel: ProductKernel

  /// Options with the default layout under `projectRoot`: `chapters/`, `build/`,
  /// `.report-cache/`, one job per active processor.
  public init(projectRoot: URL) {
    chaptersDirectory = projectRoot.appendingPathComponent("chapters", isDirectory: true)
    outputDirectory = projectRoot.appendingPathComponent("build", isDirectory: true)
    cacheDirectory = projectRoot.appendingPathComponent(".report-cache", isDirectory: true)
    jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
    useCache = true
    quiet = false
    allowFalseClaims = false
    onEvent = nil
    isCancelled = nil
    executor = .local
    kernel = .portable
  }
}
