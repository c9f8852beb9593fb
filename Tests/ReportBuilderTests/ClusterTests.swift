import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// `--executor slurm` without a cluster: the plan, the worker's checks, the sbatch line,
/// Slurm's outputs, the failure report, and whole builds against ``SimulatedSlurm``.
/// Serialized: the builds and the SIGINT test share the process's signal handling.
@Suite(.serialized) struct ClusterTests {
  static func slurmOptions(_ project: TempProject, configure: (inout SlurmSettings) -> Void = { _ in })
    -> BuildOptions
  {
    var settings = SlurmSettings(workerExecutable: URL(fileURLWithPath: "/shared/bin/report"))
    settings.pollInterval = 0
    configure(&settings)
    var options = project.options
    options.executor = .slurm(settings)
    return options
  }

  static func build(_ project: TempProject, _ options: BuildOptions, cluster: SimulatedSlurm) throws
    -> BuildSummary
  {
    var pipeline = BuildPipeline(options: options)
    pipeline.slurmControl = cluster
    pipeline.warn = { _ in }
    return try pipeline.run()
  }

  static func quickJobs(seeds: ClosedRange<UInt64> = 1...2, kernel: ProductKernel = .portable) -> [RunJob] {
    seeds.map { seed in
      var config = ExperimentConfig()
      config.steps = 20; config.batchSize = 64; config.width = 8; config.norm = .batch
      config.shift = 0.005; config.learningRate = 1e-3; config.seed = seed; config.kernel = kernel
      return RunJob(key: RunKey(config: config), config: config, experiment: "bn")
    }
  }

  /// Writes a plan for `jobs` into `cache` and returns its URL.
  static func writePlan(_ plan: RunPlan, cache: URL) throws -> URL {
    let url = RunPlan.planURL(cache: cache, id: try plan.id)
    try FileIO.writeAtomically(try plan.encoded(), to: url)
    return url
  }

  // MARK: - Plan

  @Test func planRoundTripKeepsConfigsAndKeys() throws {
    let plan = RunPlan(jobs: Self.quickJobs())
    let decoded = try RunPlan.decode(try plan.encoded())
    #expect(decoded == plan)
    #expect(decoded.kernel == BLASKernel.coreName && decoded.engine == EngineInfo.version)
    // The worker re-derives each key from the decoded configuration: floats survive JSON.
    for run in decoded.runs { #expect(RunKey(config: run.config).hex == run.key) }
    #expect(try decoded.id == plan.id)
  }

  @Test func planLivesInTheCacheItNames() {
    let cache = URL(fileURLWithPath: "/shared/project/.report-cache")
    let plan = RunPlan.planURL(cache: cache, id: "0123456789abcdef")
    #expect(plan.path == "/shared/project/.report-cache/slurm/plans/0123456789abcdef.json")
    #expect(RunPlan.cache(ofPlan: plan).path == cache.path)
    #expect(RunPlan.errorLog(cache: cache, job: "77", index: 3).path
      == "/shared/project/.report-cache/slurm/logs/77_3.err")
  }

  // MARK: - Worker

  @Test func workerWritesTheSameEntryAsALocalRun() throws {
    let project = try TempProject()
    let jobs = Self.quickJobs(seeds: 1...1)
    let url = try Self.writePlan(RunPlan(jobs: jobs), cache: project.cache)
    let line = try PlanWorker.run(
      plan: url, index: 0, kernel: BLASKernel.coreName, engine: EngineInfo.version, host: "node7",
      function: engineRunFunction)
    #expect(line.hasPrefix("bn s1: 20 steps in ") && line.hasSuffix(" s on node7 (BLAS kernel \(BLASKernel.coreName))"))
    let store = RunStage.store(cacheDirectory: project.cache)
    let workerBytes = try Data(contentsOf: store.url(for: jobs[0].key.hex))

    let local = try TempProject()
    let localStore = RunStage.store(cacheDirectory: local.cache)
    try RunStage.storeResult(Trainer(config: jobs[0].config).run(), key: jobs[0].key, in: localStore)
    #expect(try Data(contentsOf: localStore.url(for: jobs[0].key.hex)) == workerBytes)
  }

  @Test func workerRefusesAnotherKernelBeforeTraining() throws {
    let project = try TempProject()
    let jobs = Self.quickJobs(kernel: .openblas)
    let url = try Self.writePlan(RunPlan(jobs: jobs), cache: project.cache)
    let trained = RunCounter()
    let error = #expect(throws: WorkerError.self) {
      try PlanWorker.run(
        plan: url, index: 1, kernel: "Prescott", engine: EngineInfo.version, host: "node42",
        function: { config, progress in trained.add(config); return try engineRunFunction(config, progress) })
    }
    #expect(error == .kernelMismatch(run: "bn s2", host: "node42", has: "Prescott", needs: BLASKernel.coreName))
    let text = error?.description ?? ""
    #expect(text.contains("node42") && text.contains("Prescott") && text.contains("needs \(BLASKernel.coreName)"))
    #expect(trained.runs.isEmpty)
    #expect(!FileIO.exists(RunStage.store(cacheDirectory: project.cache).url(for: jobs[1].key.hex)))
  }

  @Test func workerRefusesAnotherEngineOrATamperedKey() throws {
    let project = try TempProject()
    var plan = RunPlan(jobs: Self.quickJobs())
    let url = try Self.writePlan(plan, cache: project.cache)
    #expect(throws: WorkerError.engineMismatch(run: "bn s1", host: "n", has: "0", needs: EngineInfo.version)) {
      try PlanWorker.run(plan: url, index: 0, kernel: plan.kernel, engine: "0", host: "n", function: engineRunFunction)
    }
    plan.runs[0].config.steps = 21  // the key no longer describes the configuration
    let tampered = try Self.writePlan(plan, cache: project.cache)
    let error = #expect(throws: WorkerError.self) {
      try PlanWorker.run(
        plan: tampered, index: 0, kernel: plan.kernel, engine: plan.engine, host: "n", function: engineRunFunction)
    }
    guard case .keyMismatch(run: "bn s1", host: "n", _, planned: plan.runs[0].key) = error else {
      Issue.record("expected a key mismatch, got \(String(describing: error))")
      return
    }
  }

  @Test func workerNamesAnUnreadablePlanAndAMissingIndex() throws {
    let project = try TempProject()
    let missing = project.cache.appendingPathComponent("slurm/plans/none.json")
    let error = #expect(throws: WorkerError.self) {
      try PlanWorker.run(plan: missing, index: 0, kernel: "Haswell", engine: "3", host: "n9", function: engineRunFunction)
    }
    #expect(error?.description == "report worker: cannot read the plan \(missing.path) on node n9: "
      + "the cache folder must be on storage every node sees")
    let url = try Self.writePlan(RunPlan(jobs: Self.quickJobs()), cache: project.cache)
    #expect(throws: WorkerError.noSuchRun(index: 2, count: 2, path: url.path)) {
      try PlanWorker.run(plan: url, index: 2, kernel: "Haswell", engine: "3", host: "n9", function: engineRunFunction)
    }
  }

  // MARK: - sbatch

  @Test func sbatchCommandLine() {
    var settings = SlurmSettings(workerExecutable: URL(fileURLWithPath: "/shared/bin/report"))
    let submission = SlurmSubmission(
      count: 12, planID: "0123456789abcdef", kernel: "Haswell",
      logFolder: URL(fileURLWithPath: "/shared/c/slurm/logs"), script: URL(fileURLWithPath: "/shared/c/slurm/plans/x.sh"))
    #expect(submission.arguments(settings) == [
      "--parsable", "--job-name=report-01234567", "--array=0-11", "--ntasks=1", "--cpus-per-task=1",
      "--output=/shared/c/slurm/logs/%A_%a.out", "--error=/shared/c/slurm/logs/%A_%a.err",
      "--export=ALL,REPORT_BLAS_CORETYPE=Haswell", "/shared/c/slurm/plans/x.sh",
    ])
    settings.partition = "short"
    settings.maxParallel = 4
    settings.timeLimit = "10:00"
    settings.extraOptions = ["--mem=2G", "--account=lab"]
    #expect(submission.arguments(settings).contains("--array=0-11%4"))
    #expect(Array(submission.arguments(settings).suffix(5))
      == ["--partition=short", "--time=10:00", "--mem=2G", "--account=lab", "/shared/c/slurm/plans/x.sh"])
  }

  @Test func batchScriptQuotesPaths() {
    let script = SlurmSubmission.script(
      worker: URL(fileURLWithPath: "/home/o'neil/report"), plan: URL(fileURLWithPath: "/c/slurm/plans/p.json"))
    #expect(script.contains(#"exec '/home/o'\''neil/report' worker '/c/slurm/plans/p.json' "$SLURM_ARRAY_TASK_ID""#))
    #expect(script.hasPrefix("#!/bin/sh\n"))
  }

  // MARK: - Slurm's outputs

  @Test func parsesQueueControlAndAccounting() {
    let queue = SlurmTask.parseQueue("4-6%2 PD \n2 R node3\n3 CG node1\n")
    #expect(queue.keys.sorted() == [2, 3, 4, 5, 6])
    #expect(queue[5] == SlurmTask(state: "PENDING", exitCode: nil, node: nil))
    #expect(queue[2] == SlurmTask(state: "RUNNING", exitCode: nil, node: "node3"))
    #expect(queue[3]?.isPending == false)

    let control = SlurmTask.parseControl("""
      JobId=13 ArrayJobId=11 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 NodeList=vm
      JobId=11 ArrayJobId=11 ArrayTaskId=2-3%1 JobState=CANCELLED Reason=JobArrayTaskLimit ExitCode=0:0 NodeList=
      JobId=14 ArrayJobId=11 ArrayTaskId=4 JobState=TIMEOUT ExitCode=0:15 NodeList=(null)
      """)
    #expect(control[1] == SlurmTask(state: "FAILED", exitCode: "3:0", node: "vm"))
    #expect(control[3] == SlurmTask(state: "CANCELLED", exitCode: "0:0", node: nil))
    #expect(control[4]?.node == nil && control[4]?.state == "TIMEOUT")

    let accounting = SlurmTask.parseAccounting("11_0|COMPLETED|0:0|vm\n11_5|CANCELLED by 0|0:15|vm\n11_[6-7]|PENDING|0:0|None assigned\n")
    #expect(accounting[5] == SlurmTask(state: "CANCELLED", exitCode: "0:15", node: "vm"))
    #expect(accounting[7] == SlurmTask(state: "PENDING", exitCode: "0:0", node: nil))
    #expect(SlurmTask.indices("[0-2,5]") == [0, 1, 2, 5])
  }

  // MARK: - Failure report

  @Test func failureReportListsEachRun() {
    let cache = URL(fileURLWithPath: "/c")
    let report = SlurmFailureReport(
      job: "88",
      failures: [
        .init(run: "bn s3", index: 2, job: "88", task: SlurmTask(state: "TIMEOUT", exitCode: "0:15", node: "n2"),
              log: URL(fileURLWithPath: "/c/slurm/logs/88_2.err"), logExists: true,
              lastLine: "slurmstepd: error: *** JOB 90 ON n2 CANCELLED DUE TO TIME LIMIT ***"),
        .init(run: "base s1", index: 0, job: "88", task: SlurmTask(state: "FAILED", exitCode: "1:0", node: "n1"),
              log: URL(fileURLWithPath: "/c/slurm/logs/88_0.err"), logExists: true,
              lastLine: "report worker: refusing run base s1 on node n1: …"),
        .init(run: "ln s1", index: 4, job: "88", task: SlurmTask(state: "CANCELLED", exitCode: "0:0", node: nil),
              log: URL(fileURLWithPath: "/c/slurm/logs/88_4.err"), logExists: false, lastLine: nil),
      ],
      total: 10, cache: cache)
    #expect(!report.cacheNotShared)
    #expect(report.lines == [
      "error: 3 of 10 runs failed in Slurm job array 88; the site was not changed, the 7 finished runs are kept in the cache:",
      "  base s1: array index 0, job 88_0, FAILED (exit 1:0) on n1; log /c/slurm/logs/88_0.err",
      "    report worker: refusing run base s1 on node n1: …",
      "  bn s3: array index 2, job 88_2, TIMEOUT (hit its time limit; raise --slurm-time) on n2; log /c/slurm/logs/88_2.err",
      "    slurmstepd: error: *** JOB 90 ON n2 CANCELLED DUE TO TIME LIMIT ***",
      "  ln s1: array index 4, job 88_4, CANCELLED before it started",
      "Run `report build --executor slurm` again to submit only the missing runs.",
    ])
  }

  @Test func startedTasksWithoutLogsMeanTheCacheIsNotShared() {
    let failures = (0..<3).map { index in
      SlurmFailureReport.Failure(
        run: "bn s\(index + 1)", index: index, job: "5", task: SlurmTask(state: "FAILED", exitCode: "1:0", node: "n\(index)"),
        log: URL(fileURLWithPath: "/local/c/slurm/logs/5_\(index).err"), logExists: false, lastLine: nil)
    }
    let report = SlurmFailureReport(job: "5", failures: failures, total: 3, cache: URL(fileURLWithPath: "/local/c"))
    #expect(report.cacheNotShared)
    #expect(report.lines.count == 1)
    #expect(report.lines[0].hasPrefix("error: the Slurm tasks of job 5 could not read their plan or write their logs in /local/c:"))
  }

  // MARK: - Waiting

  @Test func progressLinesNameTheArrayAndChangeOnlyWithTheCounts() {
    let written = Lines()
    let progress = ArrayProgress(style: .lines, job: "321", total: 5, write: { written.append($0) })
    progress.show(.init(queued: 3, running: 2, done: 0, failed: 0))
    progress.show(.init(queued: 3, running: 2, done: 0, failed: 0))
    progress.show(.init(queued: 1, running: 2, done: 1, failed: 1))
    progress.close()
    #expect(written.all == [
      "Slurm job array 321: 3 queued, 2 running, 0 done, 0 failed (of 5)\n",
      "Slurm job array 321: 1 queued, 2 running, 1 done, 1 failed (of 5)\n",
    ])
  }

  @Test func interruptWatchCatchesSIGINTInsteadOfDying() throws {
    let watch = InterruptWatch(signals: [SIGINT])
    defer { watch.stop() }
    #expect(watch.received == nil)
    // The dispatch source registers asynchronously and a SIGINT before that is ignored
    // (not fatal): send it until it is seen, for up to five seconds.
    for _ in 0..<100 where watch.received == nil {
      kill(getpid(), SIGINT)  // process-directed, as Ctrl-C is
      usleep(50_000)
    }
    #expect(watch.received == SIGINT)
  }

  // MARK: - Builds against a simulated cluster

  @Test func slurmBuildIsByteIdenticalToALocalBuild() throws {
    let local = try TempProject()
    try BuildTests.writeChapters(local)
    _ = try local.build()

    let remote = try TempProject()
    try BuildTests.writeChapters(remote)
    let cluster = SimulatedSlurm()
    let summary = try Self.build(remote, Self.slurmOptions(remote), cluster: cluster)
    #expect(summary.runsExecuted == 4 && summary.runsCached == 0)
    #expect(cluster.arrays.count == 1 && cluster.arrays[0].count == 4)
    #expect(cluster.arrays[0].arguments.contains("--export=ALL,REPORT_BLAS_CORETYPE=\(BLASKernel.coreName)"))
    #expect(try remote.siteFiles() == local.siteFiles())
    // A finished array leaves no plan, script or log behind.
    #expect(FileIO.files(under: RunPlan.folder(cache: remote.cache)).isEmpty)
    // Nothing missing: nothing submitted.
    _ = try Self.build(remote, Self.slurmOptions(remote), cluster: cluster)
    #expect(cluster.arrays.count == 1)
  }

  @Test func failedTasksAreListedAndOnlyTheyAreResubmitted() throws {
    let project = try TempProject()
    try BuildTests.writeChapters(project)
    let cluster = SimulatedSlurm()
    cluster.failing = [1, 3]
    let error = #expect(throws: BuildError.self) {
      _ = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    }
    guard case .executorFailed(let lines) = error else {
      Issue.record("expected executorFailed, got \(String(describing: error))")
      return
    }
    #expect(lines.first == "error: 2 of 4 runs failed in Slurm job array 101; the site was not changed, "
      + "the 2 finished runs are kept in the cache:")
    #expect(lines.contains { $0.hasPrefix("  ") && $0.contains("array index 1, job 101_1, FAILED (exit 1:0) on node1; log ")
      && $0.hasSuffix("/slurm/logs/101_1.err") })
    #expect(lines.contains("    report worker: run failed: simulated crash"))
    #expect(!FileIO.exists(project.build))
    #expect(FileIO.files(under: project.cache.appendingPathComponent("runs")).count == 2)

    cluster.failing = []
    let summary = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    #expect(summary.runsExecuted == 2 && summary.runsCached == 2)
    #expect(cluster.arrays.count == 2 && cluster.arrays[1].count == 2)
    #expect(FileIO.exists(project.build.appendingPathComponent("manifest.json")))
  }

  @Test func corruptEntriesAndNoCacheAreRetrainedAndAFailureIsNotHiddenByAnOldEntry() throws {
    let project = try TempProject()
    try BuildTests.writeChapters(project)
    let cluster = SimulatedSlurm()
    _ = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    let runs = project.cache.appendingPathComponent("runs")
    let entry = runs.appendingPathComponent(try #require(FileIO.files(under: runs).first { $0.hasSuffix(".run") }))
    var bytes = try Data(contentsOf: entry)
    bytes[bytes.count - 3] ^= 0xff
    try bytes.write(to: entry)

    let repaired = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    #expect(repaired.runsExecuted == 1 && cluster.arrays.count == 2 && cluster.arrays[1].count == 1)

    var noCache = Self.slurmOptions(project)
    noCache.useCache = false
    let all = try Self.build(project, noCache, cluster: cluster)
    #expect(all.runsExecuted == 4 && cluster.arrays.count == 3 && cluster.arrays[2].count == 4)

    // The old entry is still valid, but the task that should have replaced it failed.
    cluster.failing = [0]
    let error = #expect(throws: BuildError.self) { _ = try Self.build(project, noCache, cluster: cluster) }
    #expect(error?.description.hasPrefix("error: 1 of 4 runs failed in Slurm job array 104;") == true)
  }

  @Test func portableRunsTrainOnANodeWithAnotherBLASCore() throws {
    // Mixed clusters: a portable run's bits do not depend on the node's CPU.
    let project = try TempProject()
    let jobs = Self.quickJobs()
    let url = try Self.writePlan(RunPlan(jobs: jobs), cache: project.cache)
    let line = try PlanWorker.run(
      plan: url, index: 1, kernel: "Prescott", engine: EngineInfo.version, host: "node42",
      function: engineRunFunction)
    #expect(line.hasPrefix("bn s2: 20 steps in "))
    let stored = try Data(contentsOf: RunStage.store(cacheDirectory: project.cache).url(for: jobs[1].key.hex))
    let local = try TempProject()
    let localStore = RunStage.store(cacheDirectory: local.cache)
    try RunStage.storeResult(Trainer(config: jobs[1].config).run(), key: jobs[1].key, in: localStore)
    #expect(try Data(contentsOf: localStore.url(for: jobs[1].key.hex)) == stored)
  }

  @Test func refusedKernelFailsTheRunWithTheWorkersMessage() throws {
    let project = try TempProject()
    try project.write("01.md", "# One\n\n" + quickExperiment("base", seeds: "1"))
    let cluster = SimulatedSlurm()
    cluster.kernel = "Prescott"
    cluster.host = "old-node"
    var options = Self.slurmOptions(project)
    options.kernel = .openblas
    let error = #expect(throws: BuildError.self) {
      _ = try Self.build(project, options, cluster: cluster)
    }
    let text = error?.description ?? ""
    #expect(text.contains("report worker: refusing run base s1 on node old-node: it has BLAS kernel Prescott "
      + "but the run's key needs \(BLASKernel.coreName)"))
    #expect(FileIO.files(under: project.cache.appendingPathComponent("runs")).isEmpty)
  }

  @Test func detachSubmitsAndALaterBuildWaitsForTheSameArray() throws {
    let project = try TempProject()
    try BuildTests.writeChapters(project)
    let cluster = SimulatedSlurm()
    cluster.frozen = true
    let detached = try Self.build(project, Self.slurmOptions(project) { $0.detach = true }, cluster: cluster)
    #expect(detached.detachedJob == "101" && detached.runsSubmitted == 4)
    #expect(!FileIO.exists(project.build))
    // Still queued: another detached build submits nothing new.
    let again = try Self.build(project, Self.slurmOptions(project) { $0.detach = true }, cluster: cluster)
    #expect(again.detachedJob == "101" && again.runsSubmitted == 0 && cluster.arrays.count == 1)

    cluster.frozen = false
    let collected = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    #expect(cluster.arrays.count == 1)
    #expect(collected.runsCached == 0 && collected.runsExecuted == 4)
    #expect(FileIO.exists(project.build.appendingPathComponent("manifest.json")))
    #expect(!FileIO.exists(SubmittedArrays.url(cache: project.cache)))
    #expect(FileIO.files(under: RunPlan.folder(cache: project.cache)).isEmpty)
  }

  @Test func interruptCancelsTheArrayAndKeepsFinishedRuns() throws {
    let project = try TempProject()
    let cluster = SimulatedSlurm()
    var looks = 0
    var array = SlurmArray(
      settings: {
        var settings = SlurmSettings(workerExecutable: URL(fileURLWithPath: "/r"))
        settings.pollInterval = 0
        return settings
      }(), cache: project.cache, control: cluster, style: .quiet)
    array.pause = { _ in }
    // Ctrl-C after the first task has run.
    array.interrupted = {
      looks += 1
      return looks > 1
    }
    let jobs = Self.quickJobs(seeds: 1...3)
    let error = #expect(throws: SlurmArray.Failed.self) { try array.run(jobs) }
    #expect(cluster.cancelled == ["101"])
    #expect(error?.report.lines == [
      "interrupted: cancelled Slurm job array 101; 1 of 3 runs finished and are kept in the cache; the site was not changed.",
      "Run `report build --executor slurm` again to submit only the missing runs.",
    ])
    #expect(FileIO.files(under: project.cache.appendingPathComponent("runs")).count == 1)
  }

  @Test func unreachableControllerIsOneLine() throws {
    let project = try TempProject()
    try project.write("01.md", "# One\n\n" + quickExperiment("base", seeds: "1"))
    let cluster = SimulatedSlurm()
    cluster.reachable = false
    let error = #expect(throws: BuildError.self) {
      _ = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    }
    let text = error?.description ?? ""
    #expect(!text.contains("\n"))
    #expect(text.hasPrefix("error: --executor slurm: no Slurm controller is reachable (scontrol ping: "))
    #expect(cluster.arrays.isEmpty)
  }

  @Test func refusedSubmissionIsOneLineAndLeavesNoPlan() throws {
    let project = try TempProject()
    try project.write("01.md", "# One\n\n" + quickExperiment("base", seeds: "1"))
    let cluster = SimulatedSlurm()
    cluster.refusal = "sbatch: error: invalid partition specified: gpu"
    let error = #expect(throws: BuildError.self) {
      _ = try Self.build(project, Self.slurmOptions(project), cluster: cluster)
    }
    #expect(error?.description
      == "error: --executor slurm: sbatch refused the job array: sbatch: error: invalid partition specified: gpu")
    #expect(FileIO.files(under: RunPlan.folder(cache: project.cache)).isEmpty)
  }

  @Test func missingSbatchIsOneLine() {
    #expect(SlurmError.notInstalled(tool: "sbatch").description.hasPrefix("--executor slurm: `sbatch` is not on PATH;"))
  }
}

/// Collects what a display writes.
private final class Lines: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func append(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}
