import Crypto
import Foundation

/// SHA-256 helpers (hex digests are what caches and the manifest store).
enum Hashing {
  static func sha256(_ bytes: some DataProtocol) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
  }

  static func sha256Hex(_ bytes: some DataProtocol) -> String {
    hex(sha256(bytes))
  }

  static func sha256Hex(_ text: String) -> String {
    sha256Hex(Array(text.utf8))
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
