import Testing

@testable import GANEngine

/// Short runs of every protocol, pinned by a hash of every bit they produce: curves,
/// final samples, the BN probe, the metrics and the divergence step (not the
/// timing). A refactor of the engine must keep these hashes; a change that alters
/// results must bump ``EngineInfo/version`` and update them together.
///
/// The hashes hold for this build's vector unit and the OpenBLAS core the hashes
/// were recorded on (see ``recordedCore``): another core rounds differently in the
/// products, so on such a machine the test reports the hashes instead of failing.
@Suite struct GoldenResultTests {
  /// The OpenBLAS core the hashes below were recorded with.
  static let recordedCore = "Zen"

  /// Run length of the small protocols: three evaluations of the inference-mode loss.
  static let steps = 25

  /// FNV-1a (64-bit) of each protocol's result, recorded with engine version 3.
  static let expected: [String: String] = [
    "baseline": "8eb65377a3b50f2b",
    "baseline shift": "bb5f1dac03f92322",
    "bn fixed": "afa3db5e932962b3",
    "bn inference": "027b70b4174017a0",
    "bn joint": "2be41066a3dff7b0",
    "bn joint g": "d85977f5a6f0732e",
    "bn second": "a5403657978c219e",
    "bn split": "9330329333184d5e",
    "bn split joint g": "48694ab55d8e8258",
    "bn split shift": "9c587102cf386b23",
    "full baseline": "9ee227ab00b0c166",
    "full bn": "22c1fa84a81cd2ee",
    "group": "3df58119c512f59b",
    "group of 12": "3b69447c42fb459d",
    "group of 8": "3f92f67854f34b32",
    "layer": "a45901aae4e04657",
    "moment match both": "40da458367f134e3",
    "moment match first": "45a0503e59eb897c",
    "none inference g": "ec826bac369acbca",
    "none joint batches": "4767555c59f47e33",
    "none joint g": "252d4850dd1db049",
    "weight": "51819296702e4af7",
    "weight second": "3b9f1852901757e4",
  ]

  /// The protocols of ``FastStepTests`` at 25 steps, and two at the study's full
  /// size (batch 2048, width 64) for three steps, which take the wide sgemm paths.
  static var cases: [(String, ExperimentConfig)] {
    var result = FastStepTests.protocols.map { name -> (String, ExperimentConfig) in
      var c = FastStepTests.config(name)
      c.steps = steps
      return (name, c)
    }
    for (name, norm) in [("full baseline", ExperimentConfig.Norm.none), ("full bn", .batch)] {
      var c = ExperimentConfig()
      c.norm = norm
      c.steps = 3
      result.append((name, c))
    }
    return result
  }

  @Test func everyProtocolKeepsItsResultBits() {
    var actual: [String: String] = [:]
    for (name, config) in Self.cases {
      actual[name] = ResultHash.of(Trainer(config: config).run())
    }
    let listing = actual.keys.sorted().map { "    \"\($0)\": \"\(actual[$0] ?? "")\"," }.joined(separator: "\n")
    guard BLASKernel.coreName == Self.recordedCore else {
      print("GoldenResultTests: core \(BLASKernel.coreName), hashes recorded on \(Self.recordedCore):\n\(listing)")
      return
    }
    #expect(Set(actual.keys) == Set(Self.expected.keys), "protocols differ; actual hashes:\n\(listing)")
    for (name, hash) in actual.sorted(by: { $0.key < $1.key }) {
      #expect(hash == Self.expected[name], "\(name): result bits changed (hash \(hash))")
    }
  }

  @Test func theHashSeesEveryField() {
    var config = FastStepTests.config("bn split")
    config.steps = 2
    let result = Trainer(config: config).run()
    let base = ResultHash.of(result)
    var timing = result
    timing.msPerStep += 1
    #expect(ResultHash.of(timing) == base, "the timing is not part of the result")
    var edits: [(String, (inout RunResult) -> Void)] = [
      ("sample", { $0.samples[0] = $0.samples[0].nextUp }),
      ("g loss", { $0.curves.gLoss[1] = $0.curves.gLoss[1].nextUp }),
      ("lag", { $0.curves.bnVarLag[0] = $0.curves.bnVarLag[0].nextDown }),
      ("metric", { $0.metrics.distance = $0.metrics.distance.nextUp }),
      ("probe", { $0.probe?.movingVar[0] = 0 }),
      ("diverged", { $0.divergedAtStep = 2 }),
    ]
    edits.append(("config", { $0.config.seed += 1 }))
    for (label, edit) in edits {
      var changed = result
      edit(&changed)
      #expect(ResultHash.of(changed) != base, "\(label) is not hashed")
    }
  }
}

/// A 64-bit FNV-1a hash over the exact bits of a result, field by field, each array
/// preceded by its length (so moving a value between arrays changes the hash).
enum ResultHash {
  static func of(_ r: RunResult) -> String {
    var h = Hasher64()
    h.add(r.config.norm.rawValue + r.config.normLayers.rawValue + r.config.dBatches.rawValue + r.config.gMode.rawValue)
    h.add([r.config.shift, r.config.momentum, r.config.learningRate, r.config.leakySlope, r.config.epsilon])
    h.add([r.config.momentMatch ? 1 : 0, r.config.groups, r.config.steps, r.config.batchSize, r.config.width])
    h.add([Int(r.config.seed), Int(r.config.dataSeed)])
    for curve in [r.curves.gLoss, r.curves.dLoss, r.curves.dLossInference, r.curves.bnMeanLag, r.curves.bnVarLag] {
      h.add(curve)
    }
    h.add(r.samples)
    if let p = r.probe {
      for a in [p.realMean, p.fakeMean, p.movingMean, p.realVar, p.fakeVar, p.movingVar] { h.add(a) }
    } else {
      h.add([-1])
    }
    let m = r.metrics
    h.add(m.shift)
    h.add(m.stdRatio)
    h.add([m.distance, m.gLoss, m.dLoss, m.dLossInference])
    h.add([r.diverged ? 1 : 0, r.divergedAtStep ?? -1, r.steps])
    let hex = String(h.value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  struct Hasher64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func byte(_ b: UInt8) {
      value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01b3
    }

    mutating func word(_ w: UInt64) {
      for shift in stride(from: 0, to: 64, by: 8) { byte(UInt8(truncatingIfNeeded: w >> UInt64(shift))) }
    }

    mutating func add(_ floats: [Float]) {
      word(UInt64(floats.count))
      for f in floats { word(UInt64(f.bitPattern)) }
    }

    mutating func add(_ ints: [Int]) {
      word(UInt64(ints.count))
      for i in ints { word(UInt64(bitPattern: Int64(i))) }
    }

    mutating func add(_ text: String) {
      add([text.utf8.count])
      for b in text.utf8 { byte(b) }
    }
  }
}
