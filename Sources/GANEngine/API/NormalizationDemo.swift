/// The study's normalization demo, computed by the engine's own ``BatchNorm`` in
/// training mode (γ = 1, β = 0): each group of numbers is normalized as one batch,
/// and then all of them together as one batch.
///
/// With ε = 0 the study's numbers come out: [0.5, 1.5] and [6, 8] each become
/// [−1, 1]; [0.5, 1.5, 6, 8] becomes [−1.128, −0.806, 0.645, 1.289]. With Keras'
/// ε = 1e-3 the joint values are the same to three decimals, but each pair becomes
/// ±0.998 (e.g. 0.5/sqrt(0.25 + 0.001)); so the demo uses ε = 0 by default.
///
/// ```swift
/// let demo = NormalizationDemo.normalize([[0.5, 1.5], [6, 8]])
/// demo.separately   // [[-1, 1], [-1, 1]]
/// demo.jointly      // [-1.128, -0.806, 0.645, 1.289]
/// ```
public enum NormalizationDemo {
  /// Separate and joint normalizations of the same groups.
  public struct Result: Hashable, Sendable {
    /// Each group normalized with its own batch statistics.
    public var separately: [[Float]]
    /// All values (groups concatenated in order) normalized as one batch.
    public var jointly: [Float]
  }

  /// The default ε, which reproduces the study's numbers exactly.
  public static let defaultEpsilon: Float = 0

  /// Normalizes each group, then the concatenation, as one-feature batches.
  public static func normalize(_ groups: [[Float]], epsilon: Float = defaultEpsilon) -> Result {
    precondition(groups.allSatisfy { !$0.isEmpty }, "NormalizationDemo: empty group")
    let separately = groups.map { batchNormalize($0, epsilon: epsilon) }
    let jointly = batchNormalize(groups.flatMap { $0 }, epsilon: epsilon)
    return Result(separately: separately, jointly: jointly)
  }

  /// One training-mode BatchNorm call on a single-feature batch.
  public static func batchNormalize(_ values: [Float], epsilon: Float = defaultEpsilon) -> [Float] {
    var bn = BatchNorm(width: 1, epsilon: epsilon)
    return bn.forward(Matrix(rows: values.count, cols: 1, values: values), mode: .training).values
  }
}
