import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A minimal HTTP/1.1 client on raw sockets to 127.0.0.1, so tests control exactly
/// what is sent (targets as written, no normalisation), how many connections are
/// open, and when a connection is dropped.
struct HTTPProbe {
  struct Response {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let port: Int

  /// Opens a connection (with a 20 s receive timeout, so a stalled server fails the test).
  func connect() throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      close(fd)
      throw Failure(description: "connect to port \(port): \(String(cString: strerror(errno)))")
    }
    return fd
  }

  func send(_ fd: Int32, target: String, method: String = "GET") throws {
    let request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
    let bytes = Array(request.utf8)
    guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
      throw Failure(description: "send failed")
    }
  }

  /// Reads one response: headers, then `Content-Length` bytes of body (none for HEAD).
  func receive(_ fd: Int32, head: Bool = false) throws -> Response {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    func fill() throws {
      let count = recv(fd, &chunk, chunk.count, 0)
      guard count > 0 else { throw Failure(description: "connection ended early (\(count), errno \(errno))") }
      buffer += chunk[..<count]
    }
    let separator: [UInt8] = [13, 10, 13, 10]
    var headerEnd: Int?
    while headerEnd == nil {
      try fill()
      if buffer.count >= 4 {
        headerEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator }
      }
    }
    let headText = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
    let lines = headText.components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
      throw Failure(description: "bad status line \(lines[0])")
    }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = head ? 0 : Int(headers["content-length"] ?? "0") ?? 0
    let bodyStart = headerEnd! + 4
    while buffer.count - bodyStart < length { try fill() }
    return Response(status: status, headers: headers, body: Data(buffer[bodyStart..<(bodyStart + length)]))
  }

  /// One request on its own connection.
  func get(_ target: String, method: String = "GET") throws -> Response {
    let fd = try connect()
    defer { close(fd) }
    try send(fd, target: target, method: method)
    return try receive(fd, head: method == "HEAD")
  }

  /// Sends a request, reads a few bytes of the answer and resets the connection.
  func dropMidway(_ target: String) throws {
    let fd = try connect()
    try send(fd, target: target)
    var chunk = [UInt8](repeating: 0, count: 512)
    _ = recv(fd, &chunk, chunk.count, 0)
    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    close(fd)
  }
}

/// Polls `condition` until it holds or `timeout` seconds pass (a safety net for a
/// broken server, not a speed check).
func eventually(timeout: Double = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if try await condition() { return true }
    try? await Task.sleep(nanoseconds: 20_000_000)
  }
  return try await condition()
}
