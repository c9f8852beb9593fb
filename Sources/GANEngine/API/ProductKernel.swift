/// How the engine computes its matrix products, and so what a run's bits depend on.
///
/// ```swift
/// var config = ExperimentConfig()
/// config.kernel = .openblas      // OpenBLAS' sgemm: results depend on the CPU's core
/// ```
public enum ProductKernel: String, Codable, CaseIterable, Sendable {
  /// The engine's own product (the default): every output element is one chain of
  /// fused multiply-adds in a fixed order, so a run gives the same bits on every
  /// x86-64 CPU with AVX2 and FMA, whatever its vector width.
  case portable
  /// OpenBLAS' single-threaded sgemm with the core chosen for this CPU (see
  /// ``BLASKernel``). Cores accumulate in different orders, so a run's bits depend
  /// on the core, and run keys name it.
  case openblas
}
