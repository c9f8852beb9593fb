/// Fixed axis limits for a plot; `nil` on an axis means automatic limits.
///
/// ```swift
/// let limits = AxisLimits(x: -5...25, y: -8...8)
/// ```
public struct AxisLimits: Sendable, Hashable {
  /// The x-axis range, or `nil` for automatic.
  public var x: ClosedRange<Double>?
  /// The y-axis range, or `nil` for automatic.
  public var y: ClosedRange<Double>?

  /// Creates limits; pass `nil` for an axis to keep it automatic.
  public init(x: ClosedRange<Double>? = nil, y: ClosedRange<Double>? = nil) {
    self.x = x
    self.y = y
  }
}
