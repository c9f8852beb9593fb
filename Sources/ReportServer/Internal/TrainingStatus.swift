import Foundation

/// The status line of a build that trains: "training: 3 of 5 runs… 64%". Fed from the
/// build's worker threads.
final class TrainingStatus: @unchecked Sendable {
  private let lock = NSLock()
  private var finished = 0
  private var toTrain = 0
  private var percent = 0

  func finished(_ finished: Int, of toTrain: Int) {
    lock.withLock {
      self.finished = finished
      self.toTrain = toTrain
    }
  }

  func steps(_ done: Int, of total: Int) {
    lock.withLock { percent = total > 0 ? min(100, done * 100 / total) : 0 }
  }

  /// The line shown in the page.
  var status: String {
    lock.withLock { "training: \(finished) of \(toTrain) run\(toTrain == 1 ? "" : "s")… \(percent)%" }
  }
}
