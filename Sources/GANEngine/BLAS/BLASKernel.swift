import CBLAS

#if canImport(Glibc)
  import Glibc
#endif

/// Control of the OpenBLAS kernel and threading the engine runs on.
///
/// OpenBLAS chooses its compute kernel ("core") once, when the library is loaded,
/// from `OPENBLAS_CORETYPE` or from its own CPU detection. ``prepareProcess()``
/// applies ``BLASCorePolicy``: unless `REPORT_BLAS_CORETYPE` says otherwise, it
/// restarts the process once (same executable, same arguments) with the best core
/// the CPU supports when a slower one was loaded — also when a slower one was asked
/// for through an inherited `OPENBLAS_CORETYPE`. After such a restart it checks
/// sgemm on the training step's shapes against a naive reference and, if the new
/// core computes wrong results, restores the inherited setting with one more
/// restart (and a warning on stderr). Environment markers prevent any loop.
///
/// The engine always runs BLAS single-threaded: results are deterministic for a
/// fixed kernel, and experiments are parallelized across runs instead. Different
/// cores round differently, so results are reproducible per core.
public enum BLASKernel {
  /// Set before the first restart: `=` followed by the inherited `OPENBLAS_CORETYPE`,
  /// or `-` when it was unset.
  static let inheritedMarker = "REPORT_BLAS_INHERITED"
  /// Set before the fallback restart (chosen core failed verification).
  static let fallbackMarker = "REPORT_BLAS_FALLBACK"
  /// The user's override: a core name, or `inherit`.
  static let overrideVariable = "REPORT_BLAS_CORETYPE"

  /// Call first thing in `main`, before any thread starts.
  ///
  /// Without a restart marker: decides with ``BLASCorePolicy/decide(cpuFlags:loadedCore:override:inherited:)``
  /// and, for `.restart`, sets `OPENBLAS_CORETYPE` and the marker and re-executes
  /// `/proc/self/exe`. After the restart: verifies sgemm (``verifySGEMM()``, well
  /// under a millisecond) and falls back to the inherited setting if it fails.
  /// Also makes BLAS single-threaded. If `execv` fails, the process carries on with
  /// the core it has.
  public static func prepareProcess() {
    #if os(Linux)
      let inherited = environment("OPENBLAS_CORETYPE")
      if let marker = environment(inheritedMarker) {
        if environment(fallbackMarker) == nil, !verifySGEMM() {
          let original = marker.hasPrefix("=") ? String(marker.dropFirst()) : nil
          let message =
            "report: warning: OpenBLAS core \(coreName) failed sgemm verification; "
            + "restarting with the inherited setting (\(original.map { "OPENBLAS_CORETYPE=" + $0 } ?? "OpenBLAS detection"))\n"
          _ = message.withCString { write(2, $0, strlen($0)) }
          if let original { setenv("OPENBLAS_CORETYPE", original, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
          setenv(fallbackMarker, "1", 1)
          _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        }
      } else {
        let decision = BLASCorePolicy.decide(
          cpuFlags: cpuFlags(), loadedCore: coreName, override: environment(overrideVariable),
          inherited: inherited)
        if case .restart(let core) = decision {
          setenv(inheritedMarker, inherited.map { "=" + $0 } ?? "-", 1)
          setenv("OPENBLAS_CORETYPE", core, 1)
          _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
          // execv only returns on failure: carry on with the kernel we have.
          if let inherited { setenv("OPENBLAS_CORETYPE", inherited, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
          unsetenv(inheritedMarker)
        }
      }
    #endif
    ensureSingleThreaded()
  }

  /// How the loaded core was chosen, for `report bench`: "detected by OpenBLAS",
  /// "chosen by report over inherited OPENBLAS_CORETYPE=Haswell", "forced by
  /// REPORT_BLAS_CORETYPE", ….
  public static var selection: String {
    if let marker = environment(inheritedMarker) {
      return BLASCorePolicy.restartedReason(
        override: environment(overrideVariable),
        inherited: marker.hasPrefix("=") ? String(marker.dropFirst()) : nil,
        fellBack: environment(fallbackMarker) != nil)
    }
    switch BLASCorePolicy.decide(
      cpuFlags: cpuFlags(), loadedCore: coreName, override: environment(overrideVariable),
      inherited: environment("OPENBLAS_CORETYPE"))
    {
    case .keep(let reason): return reason
    case .restart(let core): return "loaded without restart (\(core) would be faster)"
    }
  }

  private static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }

  /// Checks `cblas_sgemm` on small products with the training step's shapes and
  /// every transpose combination it uses (inner dimension 2, 64 and a batch-like
  /// odd count; outputs of width 64, 2 and 1) against a naive Double reference.
  /// Tolerance: 1e-4 relative to Σ|a·b| per entry (float32 sums of ≤ 67 terms).
  static func verifySGEMM() -> Bool {
    ensureSingleThreaded()
    let rows = 67
    // (m, n, k, transposeA, transposeB): forward x·W, dW = xᵀ·dy, dX = dy·Wᵀ.
    let shapes: [(Int, Int, Int, Bool, Bool)] = [
      (rows, 64, 2, false, false), (rows, 64, 64, false, false), (rows, 2, 64, false, false),
      (rows, 1, 64, false, false), (64, 64, rows, true, false), (2, 64, rows, true, false),
      (64, 2, rows, true, false), (rows, 64, 64, false, true), (rows, 2, 64, false, true),
      (rows, 64, 1, false, true),
    ]
    var seed: UInt32 = 12345
    func next() -> Float {
      seed = seed &* 1_664_525 &+ 1_013_904_223
      return Float(Int32(bitPattern: seed) >> 8) / Float(1 << 23)
    }
    for (m, n, k, ta, tb) in shapes {
      let a = (0..<(m * k)).map { _ in next() }
      let b = (0..<(k * n)).map { _ in next() }
      var c = [Float](repeating: .nan, count: m * n)
      let lda = ta ? m : k
      let ldb = tb ? k : n
      cblas_sgemm(
        CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, &c, Int32(n))
      for i in 0..<m {
        for j in 0..<n {
          var sum = 0.0
          var magnitude = 0.0
          for p in 0..<k {
            let x = Double(ta ? a[p * lda + i] : a[i * lda + p])
            let y = Double(tb ? b[j * ldb + p] : b[p * ldb + j])
            sum += x * y
            magnitude += abs(x * y)
          }
          let error = abs(Double(c[i * n + j]) - sum)
          if !(error <= 1e-4 * magnitude + 1e-30) { return false }
        }
      }
    }
    return true
  }

  /// The name of the kernel OpenBLAS is using, e.g. `Haswell` or `Cooperlake`.
  public static var coreName: String {
    coreName(reported: openblas_get_corename().map { String(cString: $0) })
  }

  /// A core name as OpenBLAS reports it, trimmed of surrounding blanks and newlines;
  /// `unknown` when it reports none (nil or blank), so a run key never names an
  /// empty kernel.
  static func coreName(reported: String?) -> String {
    let name = reported?.trimmingCharacters() ?? ""
    return name.isEmpty ? "unknown" : name
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
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
    return String(self.drop(while: blank).reversed().drop(while: blank).reversed())
  }
}
