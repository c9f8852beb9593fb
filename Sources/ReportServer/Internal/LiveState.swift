import Foundation

/// What every open page is told, whole, on connect and after each change: the
/// version of the last good site, the diagnostics of the last failed build (empty
/// after a good one), and a short status line (empty when idle).
struct LiveState: Codable, Equatable, Sendable {
  var version: Int
  var errors: [String]
  var status: String

  /// The message sent over the WebSocket.
  func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
