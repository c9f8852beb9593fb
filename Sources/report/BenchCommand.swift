import ArgumentParser
import Foundation
import GANEngine

/// `report bench`: the training step's speed against what the machine's BLAS
/// libraries reach on the same products, measured on the machine it runs on.
///
/// Prints the CPU; the single-thread rate of every product shape of the BatchNorm
/// step with the portable product, OpenBLAS and (when installed) BLIS; the *floor*
/// of each protocol's step (its FLOPs at the best rate OpenBLAS or BLIS reach on the
/// 2048×64×64 product); each protocol's step with both product kernels and its ratio
/// to the floor; and the throughput of two runs at once against one.
///
/// Every measurement is repeated in `--rounds` rounds, with the libraries, kernels
/// and protocols interleaved inside each round, so that a slow moment of the machine
/// hits all of them alike; the output gives medians and the range across rounds.
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
    print("each figure: median [min–max] of \(rounds) rounds, with libraries, kernels and protocols interleaved")

    // Product rates.
    let protocols = Self.protocols(steps: steps)
    let bnSplit = protocols[1].config
    let bnShapes = StepCost.gemms(for: bnSplit)
    let reference = StepCost.GEMM(m: 2048, n: 64, k: 64)
    let shapes = Set(bnShapes + [reference]).sorted(by: Self.order)
    var rates: [GEMMLibrary: [StepCost.GEMM: [Double]]] = [:]
    for _ in 0..<rounds {
      for shape in shapes {
        for library in libraries {
          let seconds = StepCost.timeGEMM(shape, library: library, repetitions: repetitions)
          rates[library, default: [:]][shape, default: []].append(shape.flops / seconds / 1e9)
        }
      }
    }
    print("\nproducts of one BN split step, GFLOP/s, one thread:")
    print("  " + "shape".padding(toLength: 19, withPad: " ", startingAt: 0) + "per step  "
      + libraries.map { $0.name.padding(toLength: 24, withPad: " ", startingAt: 0) }.joined())
    for shape in shapes {
      let calls = bnShapes.count(where: { $0 == shape })
      print("  " + Self.describe(shape).padding(toLength: 19, withPad: " ", startingAt: 0)
        + "\(calls)".padding(toLength: 10, withPad: " ", startingAt: 0)
        + libraries.map { Spread(rates[$0]?[shape] ?? []).text("%.1f").padding(toLength: 24, withPad: " ", startingAt: 0) }
        .joined())
    }
    let floorCandidates = [GEMMLibrary.openblas, .blis].filter(\.isAvailable).map { library in
      let spread = Spread(rates[library]?[reference] ?? [])
      return (library: library, rate: spread.median, fastest: spread.values.last ?? 0)
    }
    // The best rate any round reached, for the "best round" ratios.
    let fastestRate = floorCandidates.map(\.fastest).max() ?? 0
    guard let best = floorCandidates.max(by: { $0.rate < $1.rate }), best.rate > 0 else {
      throw ValidationError("no sgemm rate was measured")
    }
    let portableRate = Spread(rates[.portable]?[reference] ?? []).median
    print(String(
      format: "floor rate: %.1f GFLOP/s, %@ at 2048×64×64 A·B (the best of OpenBLAS and BLIS; the portable product reaches %.1f)",
      best.rate, best.library.name, portableRate))

    // Steps.
    let kernels = ProductKernel.allCases
    var times: [String: [ProductKernel: [Double]]] = [:]
    for _ in 0..<rounds {
      for (name, config) in protocols {
        for kernel in kernels {
          var c = config
          c.kernel = kernel
          times[name, default: [:]][kernel, default: []].append(Trainer(config: c).run().msPerStep)
        }
      }
    }
    print("\nsteps, ms/step (\(steps) steps per protocol, kernel and round); floor = the step's FLOPs at the floor rate;")
    print("  ratio: median step / floor, and in parentheses the fastest round against the fastest sgemm round:")
    print("  " + "protocol".padding(toLength: 20, withPad: " ", startingAt: 0) + "MFLOP   floor ms  "
      + kernels.map { "\($0.rawValue) kernel".padding(toLength: 42, withPad: " ", startingAt: 0) }.joined())
    var median: [String: [ProductKernel: Double]] = [:]
    for (name, config) in protocols {
      let flops = StepCost.flops(for: config)
      let floor = flops / (best.rate * 1e9) * 1000
      let fastestFloor = flops / (fastestRate * 1e9) * 1000
      var line = "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
        + String(format: "%5.1f   %6.3f    ", flops / 1e6, floor)
      for kernel in kernels {
        let spread = Spread(times[name]?[kernel] ?? [])
        median[name, default: [:]][kernel] = spread.median
        line += (spread.text("%.3f")
          + String(format: "  %.2f× (%.2f×)", spread.median / floor, (spread.values.first ?? 0) / fastestFloor))
          .padding(toLength: 42, withPad: " ", startingAt: 0)
      }
      print(line)
    }
    for kernel in kernels {
      guard let bn = median["BN split"]?[kernel] else { continue }
      let ratios = ["LN", "GN (8 groups)"].compactMap { name in
        median[name]?[kernel].map { "\(name) / BN split \(String(format: "%.2f", $0 / bn))" }
      }
      print("  \(kernel.rawValue) kernel: " + ratios.joined(separator: ", "))
    }
    if let portable = median["BN split"]?[.portable], let blas = median["BN split"]?[.openblas] {
      print(String(
        format: "  BN split, portable / OpenBLAS kernel: %.2f (the portable kernel is the default while this is ≤ 1.15)",
        portable / blas))
    }

    guard !noScaling else { return }
    var scaled = bnSplit
    scaled.steps = scalingSteps
    let config = scaled
    var gains: [Double] = []
    for _ in 0..<rounds {
      let one = Self.wallSeconds { _ = Trainer(config: config).run() }
      let two = Self.wallSeconds {
        DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = Trainer(config: config).run() }
      }
      gains.append(2 * one / two)
    }
    print("\ntwo BN split runs at once (\(scalingSteps) steps each, portable kernel): throughput ×"
      + Spread(gains).text("%.2f") + " of one run")
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
