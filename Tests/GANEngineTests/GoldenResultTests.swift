import Testing

@testable import GANEngine

/// Short runs of every protocol, pinned by a hash of every bit they produce: curves,
/// final samples, the BN probe, the metrics and the divergence step (not the
/// timing). A refactor of the engine must keep these hashes; a change that alters
/// results must bump ``EngineInfo/version`` and update them together.
///
/// The runs use the portable product kernel (the default), so the hashes must hold
/// on every x86-64 CPU with AVX2 and FMA and for every vector width the engine is
/// compiled for (`REPORT_PORTABLE_ENGINE=1` builds it for SSE2; CI runs this suite
/// in that build too). They were recorded on an AMD EPYC (Zen 3) build for AVX2.
@Suite struct GoldenResultTests {
  /// Run length of the small protocols: three evaluations of the inference-mode loss.
  static let steps = 25

  /// FNV-1a (64-bit) of each protocol's result, recorded with engine version 5.
  static let expected: [String: String] = [
    "baseline": "21008639fbf4d387",
    "baseline shift": "545f505c78603558",
    "bn fixed": "d1943a6b2ac95981",
    "bn inference": "1fde7f7acb6b0520",
    "bn joint": "da17aa3840634bd7",
    "bn joint g": "ef7a7e077b46a9d4",
    "bn second": "cb84640ea40fda6c",
    "bn split": "c7e76318d756c920",
    "bn split joint g": "1bb780c13c92e594",
    "bn split shift": "55ad1032eceb9580",
    "full baseline": "a24177f6c003a26a",
    "full bn": "2840be4c929cc0da",
    "group": "8b207bbbf11f0ee9",
    "group of 12": "7e79e152bad2e630",
    "group 8 of 8": "1a1055d32378b9ad",
    "group of 8": "e4ccb63be12b0721",
    "layer": "678a5907149691c1",
    "layer rows left over": "c5f1c7bc315bb317",
    "moment match both": "755e485255ccda3c",
    "moment match first": "2d805ddfbc56afeb",
    "none inference g": "b72227565ff07346",
    "none joint batches": "a39e11bb646e69e5",
    "none joint g": "ad086e02a4675f83",
    "weight": "49e2ce6a5db280ed",
    "weight second": "79a41f991179e509",
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
    // The study's group norm: width 64 in eight groups of eight, whose sums run side by side.
    var groupsOfEight = ExperimentConfig()
    groupsOfEight.norm = .group
    groupsOfEight.groups = 8
    groupsOfEight.batchSize = 96
    groupsOfEight.seed = 3
    groupsOfEight.steps = steps
    result.append(("group 8 of 8", groupsOfEight))
    return result
  }

  @Test func everyProtocolKeepsItsResultBits() {
    var actual: [String: String] = [:]
    for (name, config) in Self.cases {
      actual[name] = ResultHash.of(Trainer(config: config).run())
    }
    let listing = actual.keys.sorted().map { "    \"\($0)\": \"\(actual[$0] ?? "")\"," }.joined(separator: "\n")
    #expect(Set(actual.keys) == Set(Self.expected.keys), "protocols differ; actual hashes:\n\(listing)")
    for (name, hash) in actual.sorted(by: { $0.key < $1.key }) {
      #expect(hash == Self.expected[name], "\(name): result bits changed (hash \(hash))")
    }
  }

  @Test func everyCaseRunsOnThePortableKernel() {
    #expect(Self.cases.allSatisfy { $0.1.kernel == .portable })
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
    edits.append(("kernel", { $0.config.kernel = .openblas }))
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
    h.add(r.config.kernel.rawValue)
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
