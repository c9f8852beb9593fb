import FlyingFox
import Foundation

/// Holds the ``LiveState`` and the open pages' WebSocket streams; every change is
/// sent to every page. Thread-safe: the build loop updates it, connections subscribe.
final class LiveHub: @unchecked Sendable {
  private let lock = NSLock()
  private var state = LiveState(version: 0, errors: [], status: "")
  private var clients: [Int: AsyncStream<WSMessage>.Continuation] = [:]
  private var nextID = 0

  /// The current state.
  var current: LiveState { lock.withLock { state } }

  /// Open pages.
  var clientCount: Int { lock.withLock { clients.count } }

  /// Changes the state and, when it differs, sends it to every page.
  func update(_ change: (inout LiveState) -> Void) {
    let (message, targets): (String?, [AsyncStream<WSMessage>.Continuation]) = lock.withLock {
      var next = state
      change(&next)
      guard next != state else { return (nil, []) }
      state = next
      return (next.json(), Array(clients.values))
    }
    guard let message else { return }
    for client in targets { client.yield(.text(message)) }
  }

  /// Adds a page; it is sent the current state at once. Returns its id.
  func subscribe(_ client: AsyncStream<WSMessage>.Continuation) -> Int {
    lock.withLock {
      nextID += 1
      clients[nextID] = client
      client.yield(.text(state.json()))
      return nextID
    }
  }

  /// Removes a page (its connection closed).
  func unsubscribe(_ id: Int) {
    let client = lock.withLock { clients.removeValue(forKey: id) }
    client?.finish()
  }

  /// Closes every page's stream (the server stops).
  func closeAll() {
    let all = lock.withLock { () -> [AsyncStream<WSMessage>.Continuation] in
      defer { clients.removeAll() }
      return Array(clients.values)
    }
    for client in all { client.finish() }
  }
}
