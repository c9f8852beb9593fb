import Foundation
import GANEngine

/// The content address of one run: SHA-256 of the configuration's canonical JSON
/// (sorted keys, its product kernel included) and the engine's version; for runs on
/// OpenBLAS also its core, which rounds differently from other cores (a GAN amplifies
/// the difference). A portable run's key names no CPU. Equal keys ⇔ bit-identical results.
struct RunKey: Hashable, Comparable, Sendable, CustomStringConvertible {
  let hex: String

  init(config: ExperimentConfig) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // An ExperimentConfig always encodes (finite floats are checked by validation).
    let json = (try? encoder.encode(config)) ?? Data()
    var bytes = [UInt8](json)
    bytes.append(contentsOf: Array("\n\(EngineInfo.fingerprint.runKeySuffix(for: config.kernel))".utf8))
    hex = Hashing.sha256Hex(bytes)
  }

  init(hex: String) { self.hex = hex }

  var description: String { hex }

  static func < (a: RunKey, b: RunKey) -> Bool { a.hex < b.hex }
}
