import GANEngine

/// Each experiment's run keys and results in seed order, computed once per build (a
/// run key hashes the configuration, which adds up over hundreds of values and claims).
struct RunIndex: Sendable {
  /// One seed of an experiment: its key, and its result when there is one.
  struct Run: Sendable {
    var seed: UInt64
    var key: RunKey
    var result: RunResult?
  }

  private let byExperiment: [String: [Run]]

  init(_ manuscript: Manuscript, results: [RunKey: RunResult]) {
    var index: [String: [Run]] = [:]
    for experiment in manuscript.experiments {
      index[experiment.id] = experiment.runConfigs.map { config in
        let key = RunKey(config: config)
        return Run(seed: config.seed, key: key, result: results[key])
      }
    }
    byExperiment = index
  }

  /// Every seed of the experiment `id`, with its key.
  func runs(_ id: String) -> [Run] { byExperiment[id] ?? [] }

  /// The seeds of `id` that have a result, in seed order.
  func results(_ id: String) -> [(seed: UInt64, result: RunResult)] {
    runs(id).compactMap { run in run.result.map { (run.seed, $0) } }
  }
}
