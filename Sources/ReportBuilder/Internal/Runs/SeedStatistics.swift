import Foundation

/// Summary of one metric over an experiment's seeds. Non-finite values (diverged
/// runs) are left out of the statistics and counted separately.
struct SeedStatistics: Equatable {
  var values: [Double]
  var finite: [Double]

  init(_ values: [Double]) {
    self.values = values
    finite = values.filter(\.isFinite)
  }

  var mean: Double? { finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count) }

  /// Sample standard deviation (n − 1); 0 for a single value.
  var sd: Double? {
    guard let mean else { return nil }
    guard finite.count > 1 else { return 0 }
    let sum = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (sum / Double(finite.count - 1)).squareRoot()
  }

  var min: Double? { finite.min() }
  var max: Double? { finite.max() }

  var median: Double? {
    guard !finite.isEmpty else { return nil }
    let sorted = finite.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// "0.693 ± 0.002", with " (4 of 5 seeds)" when some values were not finite.
  func plusMinus(precision: Int) -> String {
    guard let mean, let sd else { return "n/a" }
    return format(mean, precision) + " ± " + format(sd, precision) + excludedNote
  }

  func single(_ value: Double?, precision: Int) -> String {
    guard let value else { return "n/a" }
    return format(value, precision) + excludedNote
  }

  var excludedNote: String {
    finite.count == values.count ? "" : " (\(finite.count) of \(values.count) seeds)"
  }
}

/// Fixed-point formatting with a true minus sign; never prints "−0.000".
func format(_ value: Double, _ precision: Int) -> String {
  guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
  var text = String(format: "%.\(precision)f", value)
  if text.hasPrefix("-") {
    let digits = text.dropFirst()
    text = digits.allSatisfy { $0 == "0" || $0 == "." } ? String(digits) : "−" + digits
  }
  return text
}
