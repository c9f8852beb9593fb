import Foundation
import GANEngine

/// The whole build: lock → chapters → runs → figures → pages → staging → publish.
struct BuildPipeline {
  let options: BuildOptions
  /// Trains one run; tests swap in a function that throws or counts calls.
  var runFunction: RunFunction = engineRunFunction
  /// Where warnings go as they happen (stderr by default).
  var warn: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }
  /// The Slurm commands for `--executor slurm` (nil: the real ones; tests simulate a cluster).
  var slurmControl: (any SlurmControl)?

  init(options: BuildOptions) {
    self.options = options
  }

  func run() throws -> BuildSummary {
    let clock = ContinuousClock()
    let start = clock.now
    let timing = ProcessInfo.processInfo.environment["REPORT_TIMING"] != nil
    func mark(_ what: String) {
      if timing { FileHandle.standardError.write(Data("[timing] \(what): \(clock.now - start)\n".utf8)) }
    }
    let lock = try BuildLock(url: options.cacheDirectory.appendingPathComponent("lock"))
    defer { withExtendedLifetime(lock) {} }

    let resources = try SiteResources.load()
    var diagnostics = DiagnosticList()
    let manuscript = Manuscript.load(directory: options.chaptersDirectory, kernel: options.kernel, diagnostics: &diagnostics)
    guard diagnostics.isEmpty else { throw BuildError.chapterErrors(diagnostics.lines) }
    mark("chapters parsed")

    var warnings: [String] = []
    let jobs = RunStage.jobs(for: manuscript)
    var runStage = RunStage(
      cacheDirectory: options.cacheDirectory, useCache: options.useCache, jobs: max(1, options.jobs),
      function: runFunction, progressStyle: ProgressDisplay.style(quiet: options.quiet))
    runStage.onEvent = options.onEvent
    runStage.isCancelled = options.isCancelled
    runStage.executor = options.executor
    if let slurmControl { runStage.slurm = slurmControl }
    var runWarnings: [String] = []
    let runs: RunStage.Output
    do {
      runs = try runStage.run(jobs, warnings: &runWarnings)
    } catch let failure as RunScheduler.Failure {
      runWarnings.forEach(warn)
      if failure.error is BuildCancelled { throw BuildCancelled() }
      throw BuildError.runFailed(id: failure.job.name, reason: "\(failure.error)")
    } catch let detached as SlurmArray.Detached {
      runWarnings.forEach(warn)
      var summary = BuildSummary(warnings: runWarnings)
      summary.detachedJob = detached.job
      summary.runsSubmitted = detached.submitted
      return summary
    }
    runWarnings.forEach(warn)
    warnings += runWarnings
    mark("runs ready")

    // Claims are checked before anything is drawn: a false one stops the build here.
    let index = RunIndex(manuscript, results: runs.results)
    let claims = ClaimCheck.evaluate(manuscript, index: index)
    let falseClaims = claims.filter { !$0.evaluation.holds }
    if !falseClaims.isEmpty {
      if !options.allowFalseClaims {
        var errors = DiagnosticList()
        for outcome in falseClaims { errors.error(outcome.claim.location, outcome.failureText) }
        throw BuildError.chapterErrors(errors.lines)
      }
      for outcome in falseClaims {
        let warning = "\(outcome.claim.location): \(outcome.failureText) (published with --allow-false-claims)"
        warn(warning)
        warnings.append(warning)
      }
    }
    mark("claims checked")

    var figureWarnings: [String] = []
    let figureStage = FigureStage(
      cacheDirectory: options.cacheDirectory, useCache: options.useCache, jobs: max(1, options.jobs))
    let figures = try figureStage.run(
      manuscript: manuscript, index: index, checksums: runs.checksums, warnings: &figureWarnings)
    figureWarnings.forEach(warn)
    warnings += figureWarnings
    mark("figures ready")

    let content = ContentRenderer(manuscript: manuscript, index: index, figures: figures.figures)
    let pages = PageRenderer(manuscript: manuscript, content: content, shell: resources.pageShell).render()
    mark("pages rendered")

    let publisher = Publisher(output: options.outputDirectory)
    try publisher.prepare()
    do {
      try writeSite(to: publisher.staging, manuscript: manuscript, stylesheet: resources.stylesheet,
                    claims: claims, pages: pages, content: content)
      mark("site written")
      try publisher.publish()
      mark("published")
    } catch {
      publisher.discard()
      throw error
    }

    do {
      try LastBuild(manuscript: manuscript, checksums: runs.checksums).write(cacheDirectory: options.cacheDirectory)
    } catch {
      warn("cannot record this build for `report plan`: \(error)")
      warnings.append("cannot record this build for `report plan`: \(error)")
    }

    let elapsed = clock.now - start
    return BuildSummary(
      runsExecuted: runs.executed, runsCached: runs.cached, figuresRendered: figures.rendered,
      figuresCached: figures.cached,
      runsDiverged: runs.results.values.filter(\.diverged).count, warnings: warnings,
      wallSeconds: elapsed.inSeconds)
  }

  /// Writes the site into `root`; `content` is the renderer the pages were made with,
  /// so the run data and `data/values.json` come from the same index of runs.
  private func writeSite(
    to root: URL, manuscript: Manuscript, stylesheet: [UInt8], claims: [ClaimCheck.Outcome],
    pages: [PageRenderer.Page], content: ContentRenderer
  ) throws {
    var files: [String: [UInt8]] = [:]
    files["assets/style.css"] = stylesheet
    files["data/claims.json"] = try ClaimCheck.file(claims)
    for page in pages { files[page.name] = Array(page.html.utf8) }
    for experiment in manuscript.experiments {
      for (seed, result) in content.runs(of: experiment) {
        let summary = RunSummaryFile(
          experiment: experiment.id, seed: seed, config: result.config, metrics: result.metrics,
          diverged: result.diverged, divergedAtStep: result.divergedAtStep, steps: result.steps)
        files["data/runs/\(experiment.id)-s\(seed).json"] = try summary.encoded()
      }
    }
    files["data/values.json"] = try ValuesFile(manuscript: manuscript, content: content).encoded()
    for folder in ["assets", "figures", "data", "data/runs"] {
      try FileIO.createDirectory(root.appendingPathComponent(folder, isDirectory: true))
    }
    var hashes: [String: String] = [:]
    for (label, figure) in content.figures {
      for file in figure.files {
        let path = file.kind == "csv" ? "data/\(label).csv" : "figures/\(label).\(file.kind)"
        try FileIO.linkOrCopy(file.url, to: root.appendingPathComponent(path))
        hashes[path] = file.sha256
      }
    }
    for (path, bytes) in files {
      try FileIO.write(bytes, to: root.appendingPathComponent(path))
      hashes[path] = Hashing.sha256Hex(bytes)
    }
    var chapterHashes: [String: String] = [:]
    for chapter in manuscript.chapters {
      chapterHashes[chapter.displayPath] = Hashing.sha256Hex(Array(chapter.source.utf8))
    }
    let kernels = Set(manuscript.experiments.map { EngineInfo.fingerprint.kernelName(for: $0.config.kernel) })
    let manifest = Manifest(
      chapters: chapterHashes, engine: EngineInfo.version, files: hashes, kernels: kernels.sorted(),
      toolchain: Manifest.toolchain)
    try FileIO.write(try manifest.encoded(), to: root.appendingPathComponent("manifest.json"))
  }
}
