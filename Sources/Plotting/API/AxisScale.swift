import Foundation

/// How data values map to positions along an axis.
public enum AxisScale: Sendable, Hashable {
  /// Evenly spaced values.
  case linear
  /// Base-10 logarithmic: equal ratios are equally spaced, ticks at powers of ten.
  /// Values ≤ 0 cannot be placed; they are left out and counted in a note.
  case log

  /// The value in the axis' linear coordinate (`log10` for ``log``; −∞ for values ≤ 0).
  func forward(_ value: Double) -> Double {
    switch self {
    case .linear: return value
    case .log: return value > 0 ? log10(value) : -.infinity
    }
  }

  /// The inverse of ``forward(_:)``.
  func inverse(_ value: Double) -> Double {
    switch self {
    case .linear: return value
    case .log: return pow(10, value)
    }
  }

  /// Whether `value` can be placed on this axis.
  func accepts(_ value: Double) -> Bool {
    value.isFinite && (self == .linear || value > 0)
  }
}
