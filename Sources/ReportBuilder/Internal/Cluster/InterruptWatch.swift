import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a flag while a build waits on a job array, so that
/// Ctrl-C cancels the array instead of leaving it running unseen. The default handling
/// comes back with ``stop()``.
final class InterruptWatch: @unchecked Sendable {
  private let lock = NSLock()
  private var caught: Int32?
  private var sources: [any DispatchSourceSignal] = []
  private let signals: [Int32]

  init(signals: [Int32] = [SIGINT, SIGTERM]) {
    self.signals = signals
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [weak self] in self?.record(number) }
      source.resume()
      sources.append(source)
    }
  }

  /// The first signal received, if any.
  var received: Int32? { lock.withLock { caught } }

  func stop() {
    for source in sources { source.cancel() }
    sources = []
    for number in signals { signal(number, SIG_DFL) }
  }

  private func record(_ number: Int32) {
    lock.withLock { if caught == nil { caught = number } }
  }

  deinit { stop() }
}
