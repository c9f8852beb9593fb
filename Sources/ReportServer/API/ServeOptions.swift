import Foundation
import ReportBuilder

/// Everything `report serve` can be told.
///
/// ```swift
/// var options = ServeOptions(build: BuildOptions(projectRoot: root))
/// options.port = 8000
/// try await PreviewServer(options: options).run()
/// ```
public struct ServeOptions: Sendable {
  /// How the site is built (the same options as `report build`).
  public var build: BuildOptions
  /// Address to listen on: an IPv4 or IPv6 literal, or `localhost`.
  public var host: String
  /// TCP port; 0 picks a free one (see ``PreviewServer/port``).
  public var port: Int
  /// A burst of saves is built once, this long (seconds) after its last save …
  public var quietPeriod: Double
  /// … but no later than this long after its first.
  public var maxDelay: Double
  /// Where the server's own lines go (stderr by default); build progress still goes
  /// to stderr as in `report build`.
  public var log: @Sendable (String) -> Void

  /// Options for serving `build`'s site on 127.0.0.1:8000.
  public init(build: BuildOptions) {
    self.build = build
    host = "127.0.0.1"
    port = 8000
    quietPeriod = 0.03
    maxDelay = 0.25
    log = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
  }

  /// Whether ``host`` can be reached only from this machine.
  public var isLoopback: Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }
}
