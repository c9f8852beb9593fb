/// Everything that decides a figure's pixels and data besides its runs.
///
/// Figure kinds draw from this value (and the runs) only, and the figure cache key is
/// the SHA-256 of its JSON, so a new field here is part of the key without anyone
/// having to remember it.
struct FigureSpec: Codable, Hashable, Sendable {
  /// Which seed(s) a figure shows.
  enum SeedChoice: Codable, Hashable, Sendable {
    /// The experiment's first seed.
    case first
    case seed(UInt64)
    /// Mean ± sd over all seeds (curves only).
    case all
  }

  /// A curve of a run, as named in `curves:`.
  enum CurveName: String, Codable, CaseIterable, Sendable {
    case gLoss = "g_loss", dLoss = "d_loss", dLossInference = "d_loss_inference"
  }

  /// The kind's name (`kind:`).
  var kind: String
  /// CSS pixels.
  var width: Int
  var height: Int
  /// Whether `size` was written; a default size follows the limits' aspect instead.
  var sizeIsExplicit: Bool
  /// Panels per row of a seed grid; `nil` lets the builder choose.
  var columns: Int?
  var xlim: ClosedRange<Double>?
  var ylim: ClosedRange<Double>?
  var seed: SeedChoice
  var curves: [CurveName]
  /// Seed of the real population, for `kind: data`.
  var dataSeed: UInt64
}
