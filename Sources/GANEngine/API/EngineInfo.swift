/// Facts about the engine that belong in cache keys.
public enum EngineInfo {
  /// Bumped whenever the same configuration would produce different results
  /// (numerics, random streams, metrics). Part of every run's cache key.
  public static let version: String = "5"

  /// Where the training step's large buffers live in this process: on huge pages
  /// (with whether the kernel grants them, checked by allocating one), or why not.
  /// Memory placement changes speed, never results.
  public static var hugePages: String {
    guard HugePages.enabled else {
      #if canImport(Glibc)
        return "off (REPORT_HUGE_PAGES=0)"
      #else
        return "off (not on this system)"
      #endif
    }
    let setting = HugePages.systemSetting.map { "transparent huge pages: \($0)" } ?? "no transparent huge pages"
    switch HugePages.probe() {
    case true?: return "on huge pages (\(setting))"
    case false?: return "requested, not granted (\(setting))"
    case nil: return "requested (\(setting); the grant cannot be read)"
    }
  }

  /// The engine version and the OpenBLAS kernel of this process.
  ///
  /// ```swift
  /// EngineInfo.fingerprint.runKeySuffix(for: .portable)   // "engine:5\nkernel:portable"
  /// EngineInfo.fingerprint.runKeySuffix(for: .openblas)   // "engine:5\nkernel:openblas\nblas:Zen"
  /// ```
  public static var fingerprint: Fingerprint {
    Fingerprint(version: version, blasKernel: BLASKernel.coreName)
  }

  /// The engine version and OpenBLAS kernel of this process (see ``fingerprint``).
  public struct Fingerprint: Hashable, Sendable {
    /// ``EngineInfo/version``.
    public let version: String
    /// The OpenBLAS core, e.g. `Haswell` or `Zen`: what the bits of runs with
    /// ``ProductKernel/openblas`` depend on.
    public let blasKernel: String

    /// What, besides its configuration, decides the bits of a run with `kernel`:
    /// the engine version, the product kernel and, for OpenBLAS, its core (cores
    /// round differently, and a GAN amplifies the difference). A portable run's
    /// suffix names no CPU. The form run keys hash.
    public func runKeySuffix(for kernel: ProductKernel) -> String {
      switch kernel {
      case .portable: return "engine:\(version)\nkernel:portable"
      case .openblas: return "engine:\(version)\nkernel:openblas\nblas:\(blasKernel)"
      }
    }

    /// How a run with `kernel` was computed, for people: `portable` or `OpenBLAS Zen`.
    public func kernelName(for kernel: ProductKernel) -> String {
      switch kernel {
      case .portable: return "portable"
      case .openblas: return "OpenBLAS \(blasKernel)"
      }
    }
  }
}
