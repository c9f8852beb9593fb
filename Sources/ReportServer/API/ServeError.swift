/// Why `report serve` could not start or keep going.
public enum ServeError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Another program listens on the port.
  case portInUse(host: String, port: Int)
  /// The host is not an IPv4 or IPv6 address of this machine.
  case badHost(String)
  /// Listening failed for another reason.
  case listen(host: String, port: Int, reason: String)
  /// The chapters folder cannot be watched.
  case watch(path: String, reason: String)

  public var description: String {
    switch self {
    case .portInUse(let host, let port):
      return "error: port \(port) on \(host) is already in use; "
        + "stop the other server or choose another port with --port (e.g. --port \(port == 65535 ? 8000 : port + 1))."
    case .badHost(let host):
      return "error: --host \(host): not an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0 or ::1)."
    case .listen(let host, let port, let reason):
      return "error: cannot listen on \(host) port \(port): \(reason)"
    case .watch(let path, let reason):
      return "error: cannot watch \(path) for changes: \(reason)"
    }
  }
}
