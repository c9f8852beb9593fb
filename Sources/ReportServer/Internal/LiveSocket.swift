import FlyingFox

/// The WebSocket end of a page: sends the hub's state on connect and on each change;
/// whatever the page sends is read and ignored, and its end closes the subscription.
struct LiveSocket: WSMessageHandler {
  let hub: LiveHub

  func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
    let (stream, continuation) = AsyncStream<WSMessage>.makeStream(bufferingPolicy: .bufferingNewest(16))
    let id = hub.subscribe(continuation)
    let hub = self.hub
    continuation.onTermination = { _ in hub.unsubscribe(id) }
    Task {
      for await _ in client {}
      hub.unsubscribe(id)
    }
    return stream
  }
}
