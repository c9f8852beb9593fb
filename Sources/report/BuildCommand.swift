import ArgumentParser
import Foundation
import ReportBuilder

/// `report build`: chapters → runs → figures → static site in `build/`.
struct BuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Run the chapters' experiments (cached) and write the static site.",
    discussion: """
      Reads chapters/*.md, trains every experiment × seed that is not in the cache \
      (in parallel, one core per run), renders the figures and publishes the site to \
      build/ atomically: a failed or interrupted build leaves the previous site intact.
      """
  )

  @Option(name: .long, help: "Runs to train at the same time (default: active processors).")
  var jobs: Int?

  @Flag(name: .customLong("no-cache"), help: "Ignore cached results and retrain every run.")
  var noCache = false

  @OptionGroup var folders: FolderOptions

  @Flag(name: .long, help: "Print only errors and warnings.")
  var quiet = false

  @Flag(
    name: .customLong("allow-false-claims"),
    help: "Publish even if a claim does not hold; each false claim is marked in its page and listed as a warning.")
  var allowFalseClaims = false

  @OptionGroup(title: "Running on a cluster")
  var cluster: ClusterOptions

  func validate() throws {
    if let jobs, jobs < 1 {
      throw ValidationError("--jobs must be at least 1, got \(jobs)")
    }
    try cluster.validate()
  }

  func run() throws {
    var options = folders.buildOptions()
    if let jobs { options.jobs = jobs }
    options.useCache = !noCache
    options.quiet = quiet
    options.allowFalseClaims = allowFalseClaims
    options.executor = try cluster.makeExecutor()
    do {
      let summary = try ReportBuilder.build(options: options)
      if let job = summary.detachedJob {
        let line = summary.runsSubmitted > 0
          ? "submitted \(summary.runsSubmitted) run\(summary.runsSubmitted == 1 ? "" : "s") as Slurm job array \(job)"
          : "Slurm job array \(job) from an earlier build is still running; nothing new to submit"
        FileHandle.standardError.write(Data((line
          + "; run `report build --executor slurm` again to collect the results and write the site\n").utf8))
      } else if !quiet {
        var line = "built \(options.outputDirectory.lastPathComponent)/: "
          + "\(summary.runsExecuted) run\(summary.runsExecuted == 1 ? "" : "s") executed, "
          + "\(summary.runsCached) cached"
        if summary.runsDiverged > 0 { line += " (\(summary.runsDiverged) diverged)" }
        line += "; \(summary.figuresRendered) figure\(summary.figuresRendered == 1 ? "" : "s") rendered, "
          + "\(summary.figuresCached) cached; "
          + String(format: "%.2f s", summary.wallSeconds)
        FileHandle.standardError.write(Data((line + "\n").utf8))
      }
    } catch let error as BuildError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode.failure
    }
  }
}
