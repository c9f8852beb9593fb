import ArgumentParser
import Foundation
import GANEngine

/// `report bench`: the training step's speed against what the machine's BLAS
/// libraries reach on the same products, measured on the machine it runs on.
///
/// Prints the CPU; the single-thread rate of every product shape of the BatchNorm
/// step with the portable product, OpenBLAS and (when installed) BLIS; the *floor*
/// rate (the best rate OpenBLAS or BLIS reach on the 2048×64×64 product) and the
/// core's FMA peak at the engine's vector width; each protocol's step with both
/// product kernels and its ratio to its floor (its FLOPs at the floor rate); and the
/// throughput of two runs at once against one, beside what two busy cores give a
/// pure FMA loop.
///
/// Every round measures everything once, and every ratio compares two measurements
/// of the same round, so that a slow moment of a shared machine moves both; the
/// output gives the median and the range across `--rounds` rounds.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time training steps (batch 2048) against the rates their products reach in OpenBLAS, BLIS and the portable kernel.")

  @Option(help: "Rounds of every measurement (medians and ranges are taken across rounds).")
  var rounds: Int = 5

  @Option(help: "Training steps timed per protocol, kernel and round.")
  var steps: Int = 60

  @Option(help: "Calls timed per product shape, library and round.")
  var repetitions: Int = 40

  @Option(help: "Steps of each run in the two-runs-at-once measurement.")
  var scalingSteps: Int = 300

  @Flag(help: "Skip the two-runs-at-once measurement.")
  var noScaling = false

  func validate() throws {
    for (name, value) in [("rounds", rounds), ("steps", steps), ("repetitions", repetitions), ("scaling-steps", scalingSteps)]
    where value < 1 {
      throw ValidationError("--\(name): must be at least 1 (got \(value))")
    }
  }

  func run() throws {
    let libraries = GEMMLibrary.allCases.filter(\.isAvailable)
    print("CPU: \(Self.cpuModel()) (\(ProcessInfo.processInfo.activeProcessorCount) cores online)")
    print("load average at start: \(Self.loadAverage())  (timings vary when other work shares the CPU)")
    print("engine \(EngineInfo.version); OpenBLAS core \(BLASKernel.coreName) (\(BLASKernel.selection)), one thread; "
      + (GEMMLibrary.blis.isAvailable ? "\(GEMMLibrary.blis.name), one thread" : "BLIS not installed"))
    print("large buffers: \(EngineInfo.hugePages)")
    print("each figure: median [min–max] of \(rounds) rounds; every round measures everything once, and ratios")
    print("compare measurements of the same round")

    // Every round measures the FMA peak, every product shape with every library, and
    // every protocol's step with both kernels, so that each round's ratios compare
    // measurements taken at the same moment of the machine.
    let protocols = Self.protocols(steps: steps)
    let bnSplit = protocols[1].config
    let bnShapes = StepCost.gemms(for: bnSplit)
    let reference = StepCost.GEMM(m: 2048, n: 64, k: 64)
    let shapes = Set(bnShapes + [reference]).sorted(by: Self.order)
    let floorLibraries = [GEMMLibrary.openblas, .blis].filter(\.isAvailable)
    let kernels = ProductKernel.allCases
    var rates: [GEMMLibrary: [StepCost.GEMM: [Double]]] = [:]
    var peaks: [Double] = []
    var floorRates: [Double] = []
    var profiles: [String: [ProductKernel: [StepProfile]]] = [:]
    for _ in 0..<rounds {
      peaks.append(FMAPeak.rate(iterations: Self.peakIterations))
      for shape in shapes {
        for library in libraries {
          let seconds = StepCost.timeGEMM(shape, library: library, repetitions: repetitions)
          rates[library, default: [:]][shape, default: []].append(shape.flops / seconds / 1e9)
        }
      }
      floorRates.append(floorLibraries.compactMap { rates[$0]?[reference]?.last }.max() ?? 0)
      for (name, config) in protocols {
        for kernel in kernels {
          var c = config
          c.kernel = kernel
          profiles[name, default: [:]][kernel, default: []].append(Trainer(config: c).runProfiled().profile)
        }
      }
    }
    guard floorRates.allSatisfy({ $0 > 0 }) else { throw ValidationError("no sgemm rate was measured") }
    let times = profiles.mapValues { $0.mapValues { $0.map(\.stepMilliseconds) } }

    print("\nproducts of one BN split step, GFLOP/s, one thread: each library alone (the same call repeated on")
    print("  the same operands), and the portable kernel inside the BN split steps timed below")
    print("  " + "shape".padding(toLength: 19, withPad: " ", startingAt: 0) + "per step  "
      + libraries.map { $0.name.padding(toLength: 24, withPad: " ", startingAt: 0) }.joined() + "portable, in the step")
    let inStep = profiles["BN split"]?[.portable] ?? []
    for shape in shapes {
      let calls = bnShapes.count(where: { $0 == shape })
      let stepRates = inStep.compactMap { $0.shapes.first(where: { $0.shape == shape })?.rate }
      print("  " + Self.describe(shape).padding(toLength: 19, withPad: " ", startingAt: 0)
        + "\(calls)".padding(toLength: 10, withPad: " ", startingAt: 0)
        + libraries.map { Spread(rates[$0]?[shape] ?? []).text("%.1f").padding(toLength: 24, withPad: " ", startingAt: 0) }
        .joined()
        + (calls == 0 ? "" : stepRates.isEmpty ? "(the layers' own loops)" : Spread(stepRates).text("%.1f")))
    }
    let floorNames = floorLibraries.map(\.name).joined(separator: " or ")
    print("floor rate: " + Spread(floorRates).text("%.1f")
      + " GFLOP/s, each round's best of \(floorNames) at 2048×64×64 A·B")
    let portableReference = rates[.portable]?[reference] ?? []
    print("8-lane FMA peak of one core: " + Spread(peaks).text("%.1f") + " GFLOP/s; at 2048×64×64 A·B the portable product "
      + "reaches " + Spread(Self.ratios(portableReference, peaks)).text("%.2f") + " of it, the floor rate "
      + Spread(Self.ratios(floorRates, peaks)).text("%.2f"))

    print("\nsteps, ms/step (\(steps) steps per protocol, kernel and round); floor = the step's FLOPs at the floor rate;")
    print("  ratio: the step over its floor of the same round")
    print("  " + "protocol".padding(toLength: 20, withPad: " ", startingAt: 0) + "MFLOP   floor ms  "
      + kernels.map { "\($0.rawValue) kernel".padding(toLength: 46, withPad: " ", startingAt: 0) }.joined())
    for (name, config) in protocols {
      let flops = StepCost.flops(for: config)
      let floors = floorRates.map { flops / ($0 * 1e9) * 1000 }
      var line = "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
        + String(format: "%5.1f   %6.3f    ", flops / 1e6, Spread(floors).median)
      for kernel in kernels {
        let steps = times[name]?[kernel] ?? []
        line += (Spread(steps).text("%.3f") + "  " + Spread(Self.ratios(steps, floors)).text("%.2f") + "×")
          .padding(toLength: 46, withPad: " ", startingAt: 0)
      }
      print(line)
    }
    print("  same round, median [min–max]:")
    for kernel in kernels {
      guard let bn = times["BN split"]?[kernel] else { continue }
      let ratios = ["LN", "GN (8 groups)"].compactMap { name in
        times[name]?[kernel].map { "\(name) / BN split " + Spread(Self.ratios($0, bn)).text("%.2f") }
      }
      print("  \(kernel.rawValue) kernel: " + ratios.joined(separator: ", "))
    }
    if let portable = times["BN split"]?[.portable], let blas = times["BN split"]?[.openblas] {
      print("  BN split, portable / OpenBLAS kernel: " + Spread(Self.ratios(portable, blas)).text("%.2f")
        + " (the portable kernel is the default while this is ≤ 1.15)")
    }

    print("\nwhere a step goes: its products, timed call by call inside the step (ms, and their GFLOP/s), and")
    print("  everything else (normalization, activations, loss, Adam, the first layers' 2-wide maps; ms)")
    print("  " + "protocol".padding(toLength: 20, withPad: " ", startingAt: 0) + "MFLOP  "
      + kernels.map { "\($0.rawValue): products, GFLOP/s, rest".padding(toLength: 58, withPad: " ", startingAt: 0) }
      .joined())
    for (name, _) in protocols {
      guard let first = profiles[name]?[.portable]?.first else { continue }
      var line = "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
        + String(format: "%5.1f  ", first.productMFLOP)
      for kernel in kernels {
        let p = profiles[name]?[kernel] ?? []
        line += (Spread(p.map(\.productMilliseconds)).text("%.3f") + "  " + Spread(p.map(\.productRate)).text("%.0f")
          + "  " + Spread(p.map(\.otherMilliseconds)).text("%.3f"))
          .padding(toLength: 58, withPad: " ", startingAt: 0)
      }
      print(line)
    }

    guard !noScaling else { return }
    var scaled = bnSplit
    scaled.steps = scalingSteps
    let config = scaled
    var gains: [Double] = []
    var machineGains: [Double] = []
    for _ in 0..<rounds {
      let one = Self.wallSeconds { _ = Trainer(config: config).run() }
      let two = Self.wallSeconds {
        DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = Trainer(config: config).run() }
      }
      gains.append(2 * one / two)
      let alone = Self.wallSeconds { _ = FMAPeak.rate(iterations: Self.peakIterations) }
      let together = Self.wallSeconds {
        DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = FMAPeak.rate(iterations: Self.peakIterations) }
      }
      machineGains.append(2 * alone / together)
    }
    print("\ntwo BN split runs at once (\(scalingSteps) steps each, portable kernel): throughput ×"
      + Spread(gains).text("%.2f") + " of one run")
    print("two FMA-peak loops at once (what the machine gives two busy cores): ×" + Spread(machineGains).text("%.2f"))
  }

  /// Iterations of the FMA-peak loop per measurement (about 0.1 s on a current core).
  static let peakIterations = 5_000_000

  /// `numerators[i] / denominators[i]` for the rounds both have.
  static func ratios(_ numerators: [Double], _ denominators: [Double]) -> [Double] {
    zip(numerators, denominators).compactMap { $1 > 0 ? $0 / $1 : nil }
  }

  /// Median and range of a set of measurements.
  struct Spread {
    var values: [Double]
    init(_ values: [Double]) { self.values = values.sorted() }
    var median: Double {
      guard !values.isEmpty else { return 0 }
      let n = values.count
      return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }
    /// `4.12 [4.01–4.40]` with `format` for each number.
    func text(_ format: String) -> String {
      guard let low = values.first, let high = values.last else { return "–" }
      return String(format: format, median) + " [" + String(format: format, low) + "–" + String(format: format, high) + "]"
    }
  }

  /// The protocols timed, at the study's full size.
  static func protocols(steps: Int) -> [(name: String, config: ExperimentConfig)] {
    func config(_ edit: (inout ExperimentConfig) -> Void) -> ExperimentConfig {
      var c = ExperimentConfig()
      c.steps = steps
      edit(&c)
      return c
    }
    return [
      ("baseline (no norm)", config { _ in }),
      ("BN split", config { $0.norm = .batch }),
      ("BN joint", config { $0.norm = .batch; $0.dBatches = .joint }),
      ("BN inference G", config { $0.norm = .batch; $0.gMode = .inference }),
      ("BN joint, joint G", config { $0.norm = .batch; $0.dBatches = .joint; $0.gMode = .joint }),
      ("LN", config { $0.norm = .layer }),
      ("GN (8 groups)", config { $0.norm = .group; $0.groups = 8 }),
      ("WN", config { $0.norm = .weight }),
    ]
  }

  static func order(_ a: StepCost.GEMM, _ b: StepCost.GEMM) -> Bool {
    (b.flops, a.m, a.n, a.k, a.transposeA ? 1 : 0, a.transposeB ? 1 : 0)
      < (a.flops, b.m, b.n, b.k, b.transposeA ? 1 : 0, b.transposeB ? 1 : 0)
  }

  /// `2048×64×64 A·Bᵀ`: m×n×k and which operand is transposed.
  static func describe(_ g: StepCost.GEMM) -> String {
    let product = "\(g.transposeA ? "Aᵀ" : "A")·\(g.transposeB ? "Bᵀ" : "B")"
    return "\(g.m)×\(g.n)×\(g.k)".padding(toLength: 12, withPad: " ", startingAt: 0) + product
  }

  /// The first processor's `model name`, family and model from `/proc/cpuinfo`.
  static func cpuModel() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    let lines = text.split(separator: "\n")
    func field(_ key: String) -> String? {
      guard let line = lines.first(where: { $0.hasPrefix(key) }),
        let colon = line.firstIndex(of: ":")
      else { return nil }
      return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let name = field("model name") ?? "unknown"
    guard let family = field("cpu family"), let model = field("model\t") ?? field("model :") else { return name }
    return "\(name), family \(family) model \(model)"
  }

  /// The 1, 5 and 15 minute load averages.
  static func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
  }

  static func wallSeconds(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
}
