import Foundation

/// A folder of checksummed, atomically written cache entries, one file per key.
///
/// Each file is `magic (8 bytes) · SHA-256 of the payload (32 bytes) · payload`. A
/// reader that finds a wrong magic, a short file or a checksum mismatch reports the
/// entry as corrupt; the caller warns and recomputes it.
struct EntryStore: Sendable {
  enum Lookup {
    case missing
    case corrupt(reason: String)
    /// The payload and its SHA-256 (hex), which identifies the content downstream.
    case found(payload: [UInt8], checksum: String)
  }

  let directory: URL
  let magic: [UInt8]
  let fileExtension: String

  init(directory: URL, magic: String, fileExtension: String) {
    precondition(magic.utf8.count == 8, "EntryStore: the magic is 8 bytes")
    self.directory = directory
    self.magic = Array(magic.utf8)
    self.fileExtension = fileExtension
  }

  func url(for key: String) -> URL {
    directory.appendingPathComponent("\(key).\(fileExtension)")
  }

  func read(_ key: String) -> Lookup {
    let url = url(for: key)
    guard let data = FileManager.default.contents(atPath: url.path) else { return .missing }
    let bytes = [UInt8](data)
    guard bytes.count >= 40, Array(bytes[0..<8]) == magic else {
      return .corrupt(reason: "bad header")
    }
    let payload = Array(bytes[40...])
    let digest = Hashing.sha256(payload)
    guard digest[...] == bytes[8..<40] else { return .corrupt(reason: "checksum mismatch") }
    return .found(payload: payload, checksum: Hashing.hex(digest))
  }

  /// Writes the entry atomically; returns the payload's checksum.
  @discardableResult
  func write(_ key: String, payload: [UInt8]) throws -> String {
    let digest = Hashing.sha256(payload)
    var bytes = magic
    bytes.append(contentsOf: digest)
    bytes.append(contentsOf: payload)
    try FileIO.writeAtomically(bytes, to: url(for: key))
    return Hashing.hex(digest)
  }

  func remove(_ key: String) {
    try? FileManager.default.removeItem(at: url(for: key))
  }
}
