import ArgumentParser
import Foundation
import GANEngine

/// `report bench`: the training step's speed against what BLAS reaches on the same
/// products, on the machine it runs on.
///
/// Prints the CPU and the BLAS kernel; the single-thread sgemm rate of every product
/// shape of the BatchNorm step; the *floor* of each protocol's step (its FLOPs at the
/// best rate measured for the 2048×64×64 product); each protocol's measured step and
/// its ratio to the floor; and how the throughput of two runs at once compares with
/// one. These are timings: on a machine others are using, they vary from run to run.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time training steps (batch 2048) against the sgemm rates of their products.")

  @Option(help: "Training steps timed per protocol.")
  var steps: Int = 100

  @Option(help: "Calls timed per sgemm shape.")
  var repetitions: Int = 200

  @Flag(help: "Skip the two-runs-at-once measurement.")
  var noScaling = false

  func validate() throws {
    guard steps >= 1 else { throw ValidationError("--steps: must be at least 1 (got \(steps))") }
    guard repetitions >= 1 else {
      throw ValidationError("--repetitions: must be at least 1 (got \(repetitions))")
    }
  }

  func run() throws {
    print("CPU: \(Self.cpuModel()) (\(ProcessInfo.processInfo.activeProcessorCount) cores online)")
    print("load average at start: \(Self.loadAverage())  (timings vary when other work shares the CPU)")
    let fingerprint = EngineInfo.fingerprint
    print("BLAS: OpenBLAS core \(fingerprint.blasKernel), single-threaded (\(BLASKernel.selection))")
    print("engine version: \(fingerprint.version)")

    let protocols = Self.protocols(steps: steps)
    print("\nsgemm, one thread, on the products of one BN split step (OpenBLAS is the only BLAS linked):")
    let bnShapes = StepCost.gemms(for: protocols[1].config)
    let reference = StepCost.GEMM(m: 2048, n: 64, k: 64)
    var rates: [StepCost.GEMM: Double] = [:]
    for shape in Set(bnShapes + [reference]).sorted(by: Self.order) {
      let rate = shape.flops / StepCost.timeGEMM(shape, repetitions: repetitions) / 1e9
      rates[shape] = rate
      let calls = bnShapes.count(where: { $0 == shape })
      print("  \(Self.describe(shape))" + String(format: "  %6.1f GFLOP/s  (×%d per step)", rate, calls))
    }
    let best = rates[reference] ?? 0
    print(String(format: "floor rate: %.1f GFLOP/s (2048×64×64, A·B)", best))

    print("\nsteps (\(steps) per protocol; floor = the step's FLOPs at the floor rate;")
    print("products = the step's sgemm calls alone, run back to back on fixed data):")
    var single: [String: Double] = [:]
    for (name, config) in protocols {
      let result = Trainer(config: config).run()
      let flops = StepCost.flops(for: config)
      let floor = flops / (best * 1e9) * 1000
      let products = StepCost.timeGEMMs(for: config, repetitions: max(5, min(steps, 50))) * 1000
      single[name] = result.msPerStep
      print("  " + name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(
        format: " %7.3f ms/step  %6.1f MFLOP  floor %6.3f ms  = %.2f× the floor; products %6.3f ms",
        result.msPerStep, flops / 1e6, floor, result.msPerStep / floor, products))
    }
    if let bn = single["BN split"] {
      for name in ["LN", "GN (8 groups)"] {
        if let ms = single[name] { print("  \(name) / BN split: " + String(format: "%.2f", ms / bn)) }
      }
    }

    guard !noScaling else { return }
    let config = protocols[1].config
    let one = Self.wallSeconds { _ = Trainer(config: config).run() }
    let two = Self.wallSeconds {
      DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = Trainer(config: config).run() }
    }
    print(String(
      format: "\ntwo BN split runs at once: %.2f s against %.2f s for one: throughput ×%.2f",
      two, one, 2 * one / two))
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
