import Foundation

/// Little-endian binary writing and reading for cache entries.
struct ByteWriter {
  private(set) var bytes: [UInt8] = []

  mutating func append(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ data: some Collection<UInt8>) {
    append(UInt32(data.count))
    bytes.append(contentsOf: data)
  }

  mutating func append(floats: [Float]) {
    append(UInt32(floats.count))
    bytes.reserveCapacity(bytes.count + floats.count * 4)
    #if _endian(little)
    floats.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
    for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    #endif
  }
}

/// Reads what ``ByteWriter`` wrote; every read checks bounds and returns `nil` past the end.
struct ByteReader {
  private let bytes: [UInt8]
  private var offset: Int

  init(_ bytes: [UInt8], offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  var isAtEnd: Bool { offset == bytes.count }

  mutating func uint32() -> UInt32? {
    guard offset + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for i in 0..<4 { value |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
    offset += 4
    return value
  }

  mutating func data() -> [UInt8]? {
    guard let count = uint32().map(Int.init), offset + count <= bytes.count else { return nil }
    defer { offset += count }
    return Array(bytes[offset..<(offset + count)])
  }

  mutating func floats() -> [Float]? {
    guard let count = uint32().map(Int.init), offset + 4 * count <= bytes.count else { return nil }
    var out = [Float](repeating: 0, count: count)
    #if _endian(little)
    out.withUnsafeMutableBytes { target in
      bytes.withUnsafeBytes { source in
        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + 4 * count)]))
      }
    }
    #else
    for i in 0..<count {
      var bits: UInt32 = 0
      for b in 0..<4 { bits |= UInt32(bytes[offset + 4 * i + b]) << (8 * UInt32(b)) }
      out[i] = Float(bitPattern: bits)
    }
    #endif
    offset += 4 * count
    return out
  }
}
