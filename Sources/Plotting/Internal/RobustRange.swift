/// Automatic axis ranges that survive bad data.
///
/// Non-finite values are ignored. When the finite values hold a few extreme outliers
/// (the full span is more than ``outlierRatio`` times the central span), the range
/// keeps only values within a fence around the 1st–99th percentiles, so one diverged
/// point at 1e6 does not squash every other point into a dot.
enum RobustRange {
  /// Full span / robust span above which the fence applies.
  static let outlierRatio = 50.0
  /// The fence reaches this many central spans beyond the 1st and 99th percentiles.
  static let fenceWidth = 3.0
  /// Below this many values the plain min...max is used.
  static let minimumForQuantiles = 20

  /// The range covering the (inlying) finite `values`, or `nil` if none are finite.
  static func of(_ values: [Double]) -> ClosedRange<Double>? {
    var finite = values.filter(\.isFinite)
    guard !finite.isEmpty else { return nil }
    finite.sort()
    let full = finite[0]...finite[finite.count - 1]
    guard finite.count >= minimumForQuantiles else { return full }
    let n = finite.count
    let q01 = finite[Int((0.01 * Double(n - 1)).rounded(.down))]
    let q99 = finite[Int((0.99 * Double(n - 1)).rounded(.up))]
    let central = q99 - q01
    let fullSpan = full.upperBound - full.lowerBound
    if fullSpan <= outlierRatio * central, fullSpan.isFinite { return full }
    let fence = (q01 - fenceWidth * central)...(q99 + fenceWidth * central)
    let inside = finite.filter { fence.contains($0) }
    guard let lo = inside.first, let hi = inside.last else { return q01...q99 }
    return lo...hi
  }

  /// Widens a degenerate range (one value) to a small symmetric one, and an empty one to 0...1.
  static func nonDegenerate(_ range: ClosedRange<Double>?) -> ClosedRange<Double> {
    guard let range else { return 0...1 }
    let span = range.upperBound - range.lowerBound
    let scale = max(abs(range.lowerBound), abs(range.upperBound))
    // Keep at least ~1e-9 relative span so tick mantissas stay small integers.
    if span > scale * 1e-9, span > 1e-300 { return range }
    let half = scale < 5 ? 0.5 : scale * 0.05
    return (range.lowerBound - half)...(range.upperBound + half)
  }

  /// `range` widened by `fraction` of its span on each side.
  static func padded(_ range: ClosedRange<Double>, fraction: Double) -> ClosedRange<Double> {
    let pad = (range.upperBound - range.lowerBound) * fraction
    return (range.lowerBound - pad)...(range.upperBound + pad)
  }

  static func union(_ a: ClosedRange<Double>?, _ b: ClosedRange<Double>?) -> ClosedRange<Double>? {
    switch (a, b) {
    case (nil, nil): return nil
    case (let a?, nil): return a
    case (nil, let b?): return b
    case (let a?, let b?): return min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
    }
  }
}
