import GANEngine

/// One run to train: an experiment's configuration for one seed.
struct RunJob: Sendable {
  var key: RunKey
  var config: ExperimentConfig
  /// The experiment id, for progress lines and errors.
  var experiment: String

  /// `bn s3`.
  var name: String { "\(experiment) s\(config.seed)" }
}

/// Trains one configuration; `progress(step, total)` may be called from the run's thread.
typealias RunFunction = @Sendable (
  _ config: ExperimentConfig, _ progress: @escaping @Sendable (Int, Int) -> Void
) throws -> RunResult

/// The engine's trainer as a ``RunFunction``.
let engineRunFunction: RunFunction = { config, progress in
  Trainer(config: config).run(progress: { step, total in progress(step, total) })
}
