import Foundation
import GANEngine

/// Works out a ``BuildPlan``: looks each run and figure up in the cache exactly as the
/// build would, and explains each miss against the record of the last build.
struct Planner {
  let runStore: EntryStore
  let figureStage: FigureStage
  let lastBuild: LastBuild?

  init(cacheDirectory: URL) {
    runStore = RunStage(
      cacheDirectory: cacheDirectory, useCache: true, jobs: 1, function: engineRunFunction,
      progressStyle: .quiet
    ).store
    figureStage = FigureStage(cacheDirectory: cacheDirectory, useCache: true, jobs: 1)
    lastBuild = LastBuild.read(cacheDirectory: cacheDirectory)
  }

  func plan(_ manuscript: Manuscript) -> BuildPlan {
    var plan = BuildPlan(
      runsToCompute: [], runsReused: [], figuresToRender: [], figuresReused: [],
      hasLastBuild: lastBuild != nil, output: "", outputExists: false)
    var checksums: [RunKey: String] = [:]
    var computed = Set<RunKey>()
    for job in RunStage.jobs(for: manuscript) {
      if let checksum = cachedChecksum(job, reasons: { plan.runsToCompute.append(.init(name: job.name, reasons: $0)) }) {
        checksums[job.key] = checksum
        plan.runsReused.append(job.name)
      } else {
        computed.insert(job.key)
      }
    }
    for figure in manuscript.figures {
      let reasons = figureReasons(figure, manuscript: manuscript, checksums: checksums, computed: computed)
      if reasons.isEmpty {
        plan.figuresReused.append(figure.label)
      } else {
        plan.figuresToRender.append(.init(name: figure.label, reasons: reasons))
      }
    }
    return plan
  }

  // MARK: - Runs

  /// The checksum of the job's cached result, as the run stage would accept it; otherwise
  /// nil, after handing the reasons for training it to `reasons`.
  private func cachedChecksum(_ job: RunJob, reasons: ([String]) -> Void) -> String? {
    switch runStore.read(job.key.hex) {
    case .found(let payload, let checksum):
      if let result = RunCodec.decode(payload), result.config == job.config { return checksum }
      reasons(["cache entry does not decode"])
    case .corrupt(let reason):
      reasons(["cache entry corrupt (\(reason))"])
    case .missing:
      reasons(missingReasons(job))
    }
    return nil
  }

  private func missingReasons(_ job: RunJob) -> [String] {
    guard let lastBuild else { return ["not in the cache"] }
    guard let previous = lastBuild.runs[job.experiment]?["\(job.config.seed)"] else {
      return lastBuild.runs[job.experiment] == nil
        ? ["new experiment (not in the last build)"] : ["new seed (not in the last build)"]
    }
    var reasons = Self.configChanges(from: previous.config, to: job.config)
    if previous.engine != EngineInfo.version {
      reasons.append("engine version changed \(previous.engine) → \(EngineInfo.version)")
    }
    let kernel = EngineInfo.fingerprint.kernelName(for: job.config.kernel)
    if previous.kernel != kernel, previous.config.kernel == job.config.kernel {
      reasons.append("product kernel changed \(previous.kernel) → \(kernel)")
    }
    if reasons.isEmpty {
      reasons.append("not in the cache (the last build had it: the entry was removed)")
    }
    return reasons
  }

  /// `steps changed 2000 → 1999`, one per key that differs, in the directive's spelling.
  static func configChanges(from old: ExperimentConfig, to new: ExperimentConfig) -> [String] {
    func leaves(_ config: ExperimentConfig) -> [String: JSONValue] {
      guard let data = try? JSONEncoder().encode(config), let value = JSONValue.parse([UInt8](data))
      else { return [:] }
      return value.leaves()
    }
    let before = leaves(old), after = leaves(new)
    return Set(before.keys).union(after.keys).sorted().compactMap { key in
      let a = before[key], b = after[key]
      guard a != b else { return nil }
      let name = key.replacingOccurrences(of: "_", with: "-")
      return "\(name) changed \(a?.description ?? "(unset)") → \(b?.description ?? "(unset)")"
    }
  }

  // MARK: - Figures

  private func figureReasons(
    _ figure: FigureDirective, manuscript: Manuscript, checksums: [RunKey: String], computed: Set<RunKey>
  ) -> [String] {
    var retrained: [String] = []
    for id in figure.experiments {
      guard let experiment = manuscript.experimentByID[id] else { continue }
      let seeds = experiment.runConfigs.filter { computed.contains(RunKey(config: $0)) }.map(\.seed)
      if !seeds.isEmpty { retrained.append("\(id) " + Self.describe(seeds)) }
    }
    let previous = lastBuild?.figures[figure.label]
    var reasons = previous.map { Self.entryChanges(from: $0.entries, to: figure.block.entries) } ?? []
    if !retrained.isEmpty {
      return ["its runs will be trained: " + retrained.joined(separator: ", ")] + reasons
    }
    let key = LastBuild.figureKey(figure, manuscript: manuscript, checksums: checksums)
    switch figureStage.store.read(key) {
    case .found(let payload, _):
      if figureStage.decode(payload, key: key, label: figure.label) != nil { return [] }
      return ["cached files changed or missing"]
    case .corrupt(let reason):
      return ["cache entry corrupt (\(reason))"]
    case .missing:
      guard lastBuild != nil else { return ["not in the cache"] }
      guard let previous else { return ["new figure (not in the last build)"] }
      let changedRuns = runsChangedSinceLastBuild(figure, manuscript: manuscript)
      if previous.key == key {
        reasons.append("not in the cache (the last build had it: the entry was removed)")
      } else if !changedRuns.isEmpty {
        reasons.append("its runs changed since the last build (they are in the cache): "
          + changedRuns.joined(separator: ", "))
      } else if reasons.isEmpty {
        reasons.append("the builder draws figures differently since the last build (its cache key changed)")
      }
      return reasons
    }
  }

  /// The figure's runs whose key differs from the last build's, e.g. `bn s1-5`.
  private func runsChangedSinceLastBuild(_ figure: FigureDirective, manuscript: Manuscript) -> [String] {
    guard let lastBuild else { return [] }
    return figure.experiments.compactMap { id -> String? in
      guard let experiment = manuscript.experimentByID[id] else { return nil }
      let seeds = experiment.runConfigs
        .filter { lastBuild.runs[id]?["\($0.seed)"]?.key != RunKey(config: $0).hex }.map(\.seed)
      return seeds.isEmpty ? nil : "\(id) " + Self.describe(seeds)
    }
  }

  /// `s1-5` for consecutive seeds, else `s1, s3`.
  static func describe(_ seeds: [UInt64]) -> String {
    let text = Manuscript.describe(seeds)
    return text.contains(",") ? seeds.map { "s\($0)" }.joined(separator: ", ") : "s" + text
  }

  /// `xlim changed -6, 24 → -5, 20` for each directive line added, removed or changed
  /// (except `caption` and `echo`, which are not drawn).
  static func entryChanges(from old: [String: String], to entries: [DirectiveBlock.Entry]) -> [String] {
    var new: [String: String] = [:]
    for entry in entries { new[entry.key] = entry.value }
    var old = old
    for key in ["caption", "echo"] { old[key] = nil; new[key] = nil }
    return Set(old.keys).union(new.keys).sorted().compactMap { key in
      let a = old[key], b = new[key]
      guard a != b else { return nil }
      return "\(key) changed \(a ?? "(unset)") → \(b ?? "(unset)")"
    }
  }
}
