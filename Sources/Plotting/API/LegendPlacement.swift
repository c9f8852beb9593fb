/// Where a figure draws the legend of its labelled series.
public enum LegendPlacement: Sendable, Hashable {
  /// Picks for you. A single panel gets its legend inside the plot area, in the corner
  /// that covers the fewest data points. Several panels whose labelled series are the
  /// same (same labels, same colours) share one legend below the grid; otherwise each
  /// panel gets its own legend in its emptiest corner.
  case auto
  /// No legend.
  case none
  /// Inside each panel's plot area, top left.
  case topLeft
  /// Inside each panel's plot area, top right.
  case topRight
  /// Inside each panel's plot area, bottom left.
  case bottomLeft
  /// Inside each panel's plot area, bottom right.
  case bottomRight
  /// One legend for the whole figure, centred below the panels, listing each distinct
  /// (label, colour) pair once.
  case below
}
