/// Facts about the engine that belong in cache keys.
public enum EngineInfo {
  /// Bumped whenever the same configuration would produce different results
  /// (numerics, random streams, metrics). Part of every run's cache key.
  public static let version: String = "3"

  /// What, besides a run's configuration, decides its result bits: the engine
  /// version and the OpenBLAS kernel the process runs on (kernels round
  /// differently, and a GAN amplifies the difference).
  ///
  /// ```swift
  /// let key = configJSON + "\n\(EngineInfo.fingerprint)"   // "…\nengine:3\nblas:Haswell"
  /// ```
  public static var fingerprint: Fingerprint {
    Fingerprint(version: version, blasKernel: BLASKernel.coreName)
  }

  /// The engine version and BLAS kernel of this process (see ``fingerprint``).
  public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    /// ``EngineInfo/version``.
    public let version: String
    /// The OpenBLAS core, e.g. `Haswell` or `Zen`.
    public let blasKernel: String

    /// Two lines, `engine:VERSION` and `blas:KERNEL`, the form run keys hash.
    public var description: String { "engine:\(version)\nblas:\(blasKernel)" }
  }
}
