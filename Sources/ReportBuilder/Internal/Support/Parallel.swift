import Foundation

/// A value shared between threads, reached only through its lock.
///
/// This is the builder's one `@unchecked Sendable` box: every access goes through
/// ``withLock(_:)``, so the compiler's unchecked promise is kept in this one place.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  /// Runs `body` with exclusive access to the value.
  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }

  /// A copy of the value.
  var current: Value { withLock { $0 } }
}

/// The builder's one way to do work in parallel: runs and figures both use it.
enum Parallel {
  /// Calls `body(index, lane)` for every index in `0..<count`, on up to `lanes` threads.
  ///
  /// Each lane takes the next unclaimed index when it is free, so long and short items
  /// balance themselves. When `body` returns `false`, no further index is handed out
  /// (items already started finish). Returns when every lane has stopped. Lanes are
  /// threads with a large stack, which the engine's training loop needs.
  static func forEach(_ count: Int, lanes: Int, _ body: @escaping @Sendable (_ index: Int, _ lane: Int) -> Bool) {
    guard count > 0 else { return }
    let workers = max(1, min(lanes, count))
    // (next index, stopped)
    let queue = Locked((next: 0, stopped: false))
    let take: @Sendable () -> Int? = {
      queue.withLock { state in
        guard !state.stopped, state.next < count else { return nil }
        defer { state.next += 1 }
        return state.next
      }
    }
    let loop: @Sendable (Int) -> Void = { lane in
      while let index = take() {
        if !body(index, lane) { queue.withLock { $0.stopped = true } }
      }
    }
    let group = DispatchGroup()
    for lane in 0..<workers {
      group.enter()
      let thread = Thread {
        loop(lane)
        group.leave()
      }
      thread.stackSize = 16 << 20
      thread.start()
    }
    group.wait()
  }
}
