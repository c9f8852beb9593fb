/// What a build reports about its runs while it works, for a front end that shows
/// progress somewhere other than stderr (e.g. the status line of `report serve`).
///
/// Events arrive on the build's worker threads, in order per build.
public enum BuildEvent: Sendable, Equatable {
  /// The chapters were read: they declare `total` runs, of which `toTrain` are not
  /// in the cache and will be trained now.
  case runsPlanned(total: Int, toTrain: Int)
  /// A run finished training and was written to the cache: `finished` of `toTrain`.
  case runFinished(name: String, finished: Int, toTrain: Int)
  /// Training steps done so far over all runs being trained, out of `stepsTotal`;
  /// sent every few steps while runs train.
  case trainingProgress(stepsDone: Int, stepsTotal: Int)
}
