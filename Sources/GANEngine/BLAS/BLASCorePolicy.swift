/// The pure decision behind ``BLASKernel/prepareProcess()``: which OpenBLAS core the
/// process should run on, given the CPU, the core OpenBLAS loaded and the environment.
///
/// - `REPORT_BLAS_CORETYPE=<core>` forces that core (restart if another one is loaded).
/// - `REPORT_BLAS_CORETYPE=inherit` leaves `OPENBLAS_CORETYPE` and OpenBLAS' choice alone.
/// - Otherwise the best core the CPU supports is picked from its `/proc/cpuinfo` flags
///   (`Cooperlake` for AVX-512 F/BW/VL/DQ + BF16, `SkylakeX` for AVX-512 F/BW/VL/DQ,
///   `Haswell` for AVX2 + FMA), and the process restarts with it when the loaded core
///   ranks lower (generic and older cores < Haswell/Zen < SkylakeX < Cooperlake). This
///   overrides an inherited `OPENBLAS_CORETYPE` that asks for a slower core (the
///   machine's environment sets `Haswell` for other software, which halves sgemm speed
///   on AVX-512 CPUs).
///
/// ```swift
/// let d = BLASCorePolicy.decide(cpuFlags: flags, loadedCore: "Haswell",
///                               override: nil, inherited: "Haswell")
/// // .restart(core: "Cooperlake") on an AVX-512 BF16 CPU
/// ```
enum BLASCorePolicy {
  /// What to do with the process.
  enum Decision: Hashable, Sendable {
    /// Keep the loaded core; `reason` says why (for `report bench`).
    case keep(reason: String)
    /// Set `OPENBLAS_CORETYPE` to `core` and re-execute the program once.
    case restart(core: String)
  }

  /// The value of `REPORT_BLAS_CORETYPE` that keeps the inherited setting.
  static let inheritKeyword = "inherit"

  /// The decision for a process that has not restarted yet.
  /// - Parameters:
  ///   - cpuFlags: the CPU's flags from `/proc/cpuinfo`.
  ///   - loadedCore: `openblas_get_corename()` of this process.
  ///   - override: `REPORT_BLAS_CORETYPE`, if set.
  ///   - inherited: `OPENBLAS_CORETYPE`, if set.
  static func decide(cpuFlags: Set<String>, loadedCore: String, override: String?, inherited: String?)
    -> Decision
  {
    if let override, !override.isEmpty {
      if override.lowercased() == inheritKeyword {
        return .keep(reason: "inherited (\(describe(inherited)); REPORT_BLAS_CORETYPE=inherit)")
      }
      if override.lowercased() == loadedCore.lowercased() {
        return .keep(reason: "forced by REPORT_BLAS_CORETYPE")
      }
      return .restart(core: override)
    }
    guard let best = preferredCore(cpuFlags: cpuFlags), rank(loadedCore) < rank(best) else {
      if let inherited, !inherited.isEmpty {
        return .keep(reason: "inherited OPENBLAS_CORETYPE=\(inherited), the best this CPU supports")
      }
      return .keep(reason: "detected by OpenBLAS")
    }
    return .restart(core: best)
  }

  /// How the core of a restarted process was chosen.
  /// - Parameters:
  ///   - override: `REPORT_BLAS_CORETYPE`, if set.
  ///   - inherited: the `OPENBLAS_CORETYPE` the process started with (nil: unset).
  ///   - fellBack: whether the chosen core failed verification and the inherited
  ///     setting was restored.
  static func restartedReason(override: String?, inherited: String?, fellBack: Bool) -> String {
    if fellBack {
      return "inherited (\(describe(inherited))): the core report chose failed sgemm verification"
    }
    if let override, !override.isEmpty {
      return "forced by REPORT_BLAS_CORETYPE over inherited \(describe(inherited))"
    }
    return "chosen by report over inherited \(describe(inherited))"
  }

  private static func describe(_ inherited: String?) -> String {
    guard let inherited, !inherited.isEmpty else { return "OpenBLAS detection" }
    return "OPENBLAS_CORETYPE=\(inherited)"
  }

  /// The fastest core for a CPU with these `/proc/cpuinfo` flags, or nil when it has
  /// neither AVX2+FMA nor AVX-512.
  static func preferredCore(cpuFlags flags: Set<String>) -> String? {
    let avx512: Set<String> = ["avx512f", "avx512bw", "avx512vl", "avx512dq"]
    if flags.isSuperset(of: avx512) {
      return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX"
    }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// Speed rank of an OpenBLAS core name (case-insensitive): 0 for generic and
  /// pre-AVX2 cores, 1 for Haswell/Zen, 2 for SkylakeX, 3 for Cooperlake and newer.
  static func rank(_ core: String) -> Int {
    switch core.lowercased() {
    case "cooperlake", "sapphirerapids": return 3
    case "skylakex": return 2
    case "haswell", "zen", "excavator": return 1
    default: return 0
    }
  }
}
