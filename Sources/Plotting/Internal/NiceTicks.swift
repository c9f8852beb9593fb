import Foundation

/// A tick value held exactly as `mantissa × 10^exponent`, so its label never shows
/// binary floating-point noise (0.3, not 0.30000000000000004).
struct Tick: Equatable {
  let mantissa: Int
  let exponent: Int

  /// The tick's position as a `Double` (the closest double for moderate exponents:
  /// an exact integer divided by an exact power of ten is correctly rounded).
  var value: Double {
    exponent >= 0
      ? Double(mantissa) * NiceTicks.powerOfTen(exponent)
      : Double(mantissa) / NiceTicks.powerOfTen(-exponent)
  }
}

/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, and their labels.
enum NiceTicks {
  /// The nice step multipliers, in increasing order.
  private static let multipliers = [1, 2, 5]

  /// Ticks inside `range` with a 1-2-5 step chosen so that their number is close to
  /// `targetCount`, and at least two whenever the range is not degenerate.
  static func ticks(in range: ClosedRange<Double>, targetCount: Int) -> [Tick] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite, range.lowerBound.isFinite else { return [] }
    let raw = span / Double(max(1, targetCount))
    var exponent = Int(log10(raw).rounded(.down))
    let residual = raw / (exponent >= 0 ? powerOfTen(exponent) : 1 / powerOfTen(-exponent))
    var index = multipliers.firstIndex { Double($0) >= residual * (1 - 1e-9) } ?? multipliers.count
    if index == multipliers.count {
      index = 0
      exponent += 1
    }
    // The step just above the raw one gives at most `targetCount` ticks; the next
    // smaller nice step may come closer to the target (ties keep the larger step).
    let coarse = ticks(in: range, multiplier: multipliers[index], exponent: exponent)
    let (fineIndex, fineExponent) = index == 0 ? (multipliers.count - 1, exponent - 1) : (index - 1, exponent)
    let fine = ticks(in: range, multiplier: multipliers[fineIndex], exponent: fineExponent)
    if coarse.count >= 2, abs(fine.count - targetCount) < abs(coarse.count - targetCount) {
      return fine
    }
    // Walk towards smaller steps until at least two ticks fit.
    for _ in 0..<6 {
      let result = ticks(in: range, multiplier: multipliers[index], exponent: exponent)
      if result.count >= 2 { return result }
      if index == 0 {
        index = multipliers.count - 1
        exponent -= 1
      } else {
        index -= 1
      }
    }
    return ticks(in: range, multiplier: multipliers[index], exponent: exponent)
  }

  /// All multiples of `multiplier × 10^exponent` inside `range` (with a relative
  /// tolerance of 1e-9 of the step, so 1.0 counts as inside 0...0.9999999999).
  static func ticks(in range: ClosedRange<Double>, multiplier: Int, exponent: Int) -> [Tick] {
    let step = Tick(mantissa: multiplier, exponent: exponent).value
    let first = (range.lowerBound / step - 1e-9).rounded(.up)
    let last = (range.upperBound / step + 1e-9).rounded(.down)
    guard first.isFinite, last.isFinite, last >= first, last - first < 1000,
      abs(first) < 1e15, abs(last) < 1e15
    else { return [] }
    return (Int(first)...Int(last)).map { Tick(mantissa: $0 * multiplier, exponent: exponent) }
  }

  /// Labels for ticks that share one step: all with the same number of decimals
  /// ("0.0", "0.5", "1.0"), a true minus sign (U+2212), and `m×10ⁿ` notation when the
  /// values are very large or very small.
  static func labels(for ticks: [Tick]) -> [String] {
    guard let exponent = ticks.first?.exponent else { return [] }
    let largest = ticks.map { abs($0.mantissa) }.max() ?? 0
    guard largest > 0 else { return ticks.map { _ in "0" } }
    // The power of ten of the largest |value|.
    let magnitude = String(largest).count - 1 + exponent
    if magnitude >= 6 || magnitude <= -4 {
      return ticks.map { tick in
        tick.mantissa == 0
          ? "0"
          : decimal(tick.mantissa, exponent: tick.exponent - magnitude) + "×10" + superscript(magnitude)
      }
    }
    return ticks.map { decimal($0.mantissa, exponent: $0.exponent) }
  }

  /// `mantissa × 10^exponent` written out in decimal, with `max(0, −exponent)` decimals.
  static func decimal(_ mantissa: Int, exponent: Int) -> String {
    let sign = mantissa < 0 ? "\u{2212}" : ""
    var digits = String(mantissa.magnitude)
    if exponent >= 0 {
      if mantissa != 0 { digits += String(repeating: "0", count: exponent) }
      return sign + digits
    }
    let decimals = -exponent
    if digits.count <= decimals {
      digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
    }
    let split = digits.index(digits.endIndex, offsetBy: -decimals)
    return sign + digits[..<split] + "." + digits[split...]
  }

  /// The label of 10^n: plain decimals from 0.001 to 10000, otherwise "10ⁿ".
  static func powerOfTenLabel(_ n: Int) -> String {
    (-3...4).contains(n) ? decimal(1, exponent: n) : "10" + superscript(n)
  }

  /// `n` in Unicode superscript digits, e.g. −4 → "⁻⁴".
  static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(String(n.magnitude).map { digits[Int(String($0)) ?? 0] })
    return (n < 0 ? "⁻" : "") + body
  }

  /// 10^n for n ≥ 0, exact up to 10^22.
  static func powerOfTen(_ n: Int) -> Double {
    precondition(n >= 0, "powerOfTen: non-negative exponent")
    var result = 1.0
    for _ in 0..<min(n, 400) { result *= 10 }
    return result
  }
}
