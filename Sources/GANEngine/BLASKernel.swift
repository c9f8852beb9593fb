import CBLAS

#if canImport(Glibc)
  import Glibc
#endif

/// Control of the OpenBLAS kernel and threading the engine runs on.
///
/// OpenBLAS chooses its compute kernel ("core") once, when the library is loaded,
/// from `OPENBLAS_CORETYPE` or from its own CPU detection. Debian's 0.3.21 sometimes
/// falls back to a slow generic core (for example `Prescott`) on CPUs it does not
/// recognize. ``prepareProcess()`` fixes that by restarting the process once with a
/// suitable `OPENBLAS_CORETYPE`.
///
/// The engine always runs BLAS single-threaded: results are deterministic for a
/// fixed kernel, and experiments are parallelized across runs instead.
public enum BLASKernel {
  /// Environment marker set before the one restart, so the process never loops.
  static let restartMarker = "REPORT_BLAS_RESTARTED"

  /// Cores that OpenBLAS uses as generic fallbacks: slow on any modern x86-64 CPU.
  static let genericCores: Set<String> = [
    "prescott", "katmai", "coppermine", "northwood", "core2", "penryn", "dunnington",
    "nehalem", "atom", "banias", "unknown", "generic",
  ]

  /// Call first thing in `main`. If `OPENBLAS_CORETYPE` is not set and OpenBLAS
  /// picked a generic core although the CPU has AVX-512 (F, BW, VL, DQ) or AVX2+FMA,
  /// sets `OPENBLAS_CORETYPE` to `SkylakeX` or `Haswell` and re-executes the program
  /// (`/proc/self/exe`, same arguments) once. A value set by the user is respected.
  /// Also makes BLAS single-threaded.
  public static func prepareProcess() {
    #if os(Linux)
      if getenv("OPENBLAS_CORETYPE") == nil, getenv(restartMarker) == nil,
        genericCores.contains(coreName.lowercased()),
        let better = preferredCore(cpuFlags: cpuFlags())
      {
        setenv("OPENBLAS_CORETYPE", better, 1)
        setenv(restartMarker, "1", 1)
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv only returns on failure: carry on with the kernel we have.
      }
    #endif
    ensureSingleThreaded()
  }

  /// The name of the kernel OpenBLAS is using, e.g. `Haswell` or `Cooperlake`.
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name).trimmingCharacters()
  }

  /// The core to request for a CPU with these `/proc/cpuinfo` flags, or nil when no
  /// fast core applies.
  static func preferredCore(cpuFlags flags: Set<String>) -> String? {
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
  }

  /// The flags of the first processor in `/proc/cpuinfo` (empty if unreadable).
  static func cpuFlags() -> Set<String> {
    guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0 {
      guard let line else { break }
      let text = String(cString: line)
      if text.hasPrefix("flags") {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return [] }
        return Set(parts[1].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
      }
    }
    return []
  }

  /// One-time switch to a single BLAS thread (idempotent, thread-safe).
  static func ensureSingleThreaded() {
    _ = singleThreaded
  }

  private static let singleThreaded: Bool = {
    openblas_set_num_threads(1)
    return true
  }()
}

extension String {
  fileprivate func trimmingCharacters() -> String {
    String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " || $0 == "\n" }).reversed())
  }
}
