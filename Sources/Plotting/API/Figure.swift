/// A complete figure: a grid of panels with an optional title and a legend.
///
/// Sizes are CSS pixels (= points); ``Renderer/png(_:scale:)`` multiplies them by its
/// scale. A figure is a plain value: build it, then render it to PNG and SVG.
///
/// ```swift
/// let figure = Figure(width: 640, height: 480, title: "Real vs noise", panels: [panel])
/// let png = try Renderer.png(figure)
/// let svg = try Renderer.svg(figure)
/// ```
public struct Figure: Sendable, Hashable {
  /// Width in CSS pixels.
  public var width: Double
  /// Height in CSS pixels.
  public var height: Double
  /// Title above all panels.
  public var title: String?
  /// The panels, filled into the grid row by row.
  public var panels: [Panel]
  /// Number of grid columns; rows follow from the panel count.
  public var columns: Int
  /// All panels use the same x limits; x tick labels and x labels only on the bottom row.
  public var sharedX: Bool
  /// All panels use the same y limits; y tick labels and y labels only in the left column.
  public var sharedY: Bool
  /// Where to put the legend.
  public var legend: LegendPlacement

  /// Creates a figure. `columns` defaults to one row of all panels.
  public init(
    width: Double = 640, height: Double = 480, title: String? = nil, panels: [Panel],
    columns: Int? = nil, sharedX: Bool = false, sharedY: Bool = false,
    legend: LegendPlacement = .auto
  ) {
    precondition(width >= 50 && height >= 50, "Figure: width and height must be at least 50")
    precondition(width <= 10_000 && height <= 10_000, "Figure: width and height at most 10000")
    let columns = columns ?? max(1, panels.count)
    precondition(columns >= 1, "Figure: at least one column")
    self.width = width
    self.height = height
    self.title = title
    self.panels = panels
    self.columns = columns
    self.sharedX = sharedX
    self.sharedY = sharedY
    self.legend = legend
  }

  /// Number of grid rows.
  public var rows: Int { max(1, (panels.count + columns - 1) / columns) }
}
