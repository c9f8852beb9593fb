import Foundation

/// The ticks of one axis: data positions and their labels.
struct AxisTicks {
  var positions: [Double] = []
  var labels: [String] = []
  /// Unlabelled minor ticks (2…9 × 10ⁿ on log axes).
  var minorPositions: [Double] = []

  /// Numeric ticks for an axis of `length` px over `limits`, as dense as the labels allow:
  /// `labelExtent` measures a label along the axis, and neighbours keep a gap of `gap` px.
  static func numeric(
    limits: ClosedRange<Double>, scale: AxisScale = .linear, length: Double,
    preferredSpacing: Double, gap: Double, labelExtent: (String) -> Double
  ) -> AxisTicks {
    let lo = scale.forward(limits.lowerBound), hi = scale.forward(limits.upperBound)
    // At least three ticks when their labels fit: two alone hardly show the scale.
    var target = max(3, Int(length / preferredSpacing))
    var best = AxisTicks()
    while target >= 1 {
      let result =
        scale == .log && hi - lo >= 1
        ? decades(lo...hi, targetCount: target)
        : {
          let ticks = NiceTicks.ticks(in: limits, targetCount: target)
          return AxisTicks(positions: ticks.map(\.value), labels: NiceTicks.labels(for: ticks))
        }()
      best = result
      guard result.positions.count >= 2 else { break }
      let spacing = zip(result.positions.dropFirst(), result.positions).map { pair in
        length * (scale.forward(pair.0) - scale.forward(pair.1)) / (hi - lo)
      }.min() ?? length
      let widest = result.labels.map(labelExtent).max() ?? 0
      if widest + gap <= spacing { break }
      target -= 1
    }
    return best
  }

  /// Ticks at powers of ten inside `range` (given in log10 units), every 1, 2, 3, 5 or
  /// 10 decades so that there are at most about `targetCount`.
  static func decades(_ range: ClosedRange<Double>, targetCount: Int) -> AxisTicks {
    let first = Int((range.lowerBound - 1e-9).rounded(.up))
    let last = Int((range.upperBound + 1e-9).rounded(.down))
    guard last > first else { return AxisTicks() }
    let every = [1, 2, 3, 5, 10, 20, 50, 100].first { (last - first) / $0 + 1 <= max(2, targetCount) } ?? 100
    var exponents = stride(from: first, through: last, by: 1).filter { $0 % every == 0 }
    if exponents.count < 2 { exponents = [first, last] }
    func power(_ n: Int) -> Double { n >= 0 ? NiceTicks.powerOfTen(n) : 1 / NiceTicks.powerOfTen(-n) }
    var minor: [Double] = []
    if every == 1 && last - first <= 8 {
      for n in (first - 1)...last {
        for m in 2...9 {
          let value = Double(m) * power(n)
          let t = log10(value)
          if t >= range.lowerBound && t <= range.upperBound { minor.append(value) }
        }
      }
    }
    return AxisTicks(
      positions: exponents.map(power), labels: exponents.map(NiceTicks.powerOfTenLabel),
      minorPositions: minor)
  }
}
