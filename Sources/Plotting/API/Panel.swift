/// One plot area with its axes, inside a ``Figure``.
///
/// ```swift
/// let panel = Panel(
///   title: "seed 1", xLabel: "x", yLabel: "y", equalAspect: true,
///   series: [.scatter(points: before, label: "before", color: .blue),
///            .scatter(points: after, label: "after", color: .orange)])
/// ```
public struct Panel: Sendable, Hashable {
  /// Title above the plot area.
  public var title: String?
  /// Label under the x axis.
  public var xLabel: String?
  /// Label left of the y axis (rotated).
  public var yLabel: String?
  /// Fixed x limits; `nil` chooses them from the data (robust to outliers). On a log
  /// axis both bounds must be positive, or they are ignored.
  public var xLimits: ClosedRange<Double>?
  /// Fixed y limits; `nil` chooses them from the data (robust to outliers).
  public var yLimits: ClosedRange<Double>?
  /// The x axis' scale (linear or logarithmic).
  public var xScale: AxisScale
  /// The y axis' scale (linear or logarithmic), e.g. `.log` for losses spanning decades.
  public var yScale: AxisScale
  /// One data unit is as long on x as on y: automatic limits are widened to fit.
  /// Fixed x and y limits are drawn exactly as given instead; size the figure with
  /// ``Figure/fittingAspect(minHeight:maxHeight:)`` to keep the aspect. Ignored when
  /// either axis is logarithmic.
  public var equalAspect: Bool
  /// The marks, drawn in order (later on top).
  public var series: [Series]
  /// A heading for the legend, e.g. "mean ± sd over 5 seeds" (a legend below the
  /// grid takes the first panel's that has one).
  public var legendTitle: String?
  /// Extra lines of small text drawn in a corner of the plot area. The renderer adds
  /// its own notes, e.g. "12 points outside the axes" or "3 NaN/inf values omitted".
  public var notes: [String]?

  /// Creates a panel.
  public init(
    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil,
    xScale: AxisScale = .linear, yScale: AxisScale = .linear,
    equalAspect: Bool = false, series: [Series], notes: [String]? = nil, legendTitle: String? = nil
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xLimits = xLimits
    self.yLimits = yLimits
    self.xScale = xScale
    self.yScale = yScale
    self.equalAspect = equalAspect
    self.series = series
    self.notes = notes
    self.legendTitle = legendTitle
  }
}
