import Foundation
import GANEngine

/// Compact binary form of a ``RunResult``: the small fields as JSON, the long float
/// arrays (samples, curves, probe) as raw little-endian Float32. Loading 100 cached
/// runs then costs a few milliseconds instead of parsing megabytes of JSON.
enum RunCodec {
  static func encode(_ result: RunResult) throws -> [UInt8] {
    var meta = result
    meta.samples = []
    meta.curves = RunResult.Curves()
    if var probe = meta.probe {
      probe.realMean = []; probe.fakeMean = []; probe.movingMean = []
      probe.realVar = []; probe.fakeVar = []; probe.movingVar = []
      meta.probe = probe
    }
    var writer = ByteWriter()
    writer.append([UInt8](try RunResult.jsonEncoder().encode(meta)))
    writer.append(floats: result.samples)
    writer.append(floats: result.curves.gLoss)
    writer.append(floats: result.curves.dLoss)
    writer.append(floats: result.curves.dLossInference)
    writer.append(floats: result.curves.bnMeanLag)
    writer.append(floats: result.curves.bnVarLag)
    if let probe = result.probe {
      for array in [probe.realMean, probe.fakeMean, probe.movingMean,
                    probe.realVar, probe.fakeVar, probe.movingVar] {
        writer.append(floats: array)
      }
    }
    return writer.bytes
  }

  /// `nil` when the bytes are not a complete encoding.
  static func decode(_ bytes: [UInt8], offset: Int = 0) -> RunResult? {
    var reader = ByteReader(bytes, offset: offset)
    guard let json = reader.data(),
          var result = try? RunResult.jsonDecoder().decode(RunResult.self, from: Data(json)),
          let samples = reader.floats(), let gLoss = reader.floats(), let dLoss = reader.floats(),
          let dLossInference = reader.floats(), let meanLag = reader.floats(),
          let varLag = reader.floats()
    else { return nil }
    result.samples = samples
    result.curves = RunResult.Curves(
      gLoss: gLoss, dLoss: dLoss, dLossInference: dLossInference, bnMeanLag: meanLag, bnVarLag: varLag)
    if result.probe != nil {
      guard let a = reader.floats(), let b = reader.floats(), let c = reader.floats(),
            let d = reader.floats(), let e = reader.floats(), let f = reader.floats()
      else { return nil }
      result.probe = RunResult.BNProbe(
        realMean: a, fakeMean: b, movingMean: c, realVar: d, fakeVar: e, movingVar: f)
    }
    return reader.isAtEnd ? result : nil
  }
}
