/// One set of marks in a panel: points, a line, a band or a horizontal reference line.
///
/// Non-finite values (NaN, ±infinity) are never drawn; the panel counts them in a note.
/// Use the static constructors, which fill in common defaults:
///
/// ```swift
/// let measured = Series.scatter(points: population, label: "measured", color: .blue)
/// let threshold = Series.horizontalLine(y: 0.5, label: "threshold")
/// ```
public struct Series: Sendable, Hashable {
  /// What the series draws.
  public enum Kind: Sendable, Hashable {
    /// Filled round markers of diameter `markerSize` (points) and opacity `alpha`
    /// at each `(x[i], y[i])`. `x` and `y` must have equal lengths.
    case scatter(x: [Double], y: [Double], markerSize: Double, alpha: Double)
    /// A polyline of stroke `width` (points) through `(x[i], y[i])`, dashed when `dash`
    /// is a non-empty on/off pattern in points, with a marker at every vertex when
    /// `markers` is true. A non-finite value breaks the line.
    case line(x: [Double], y: [Double], width: Double, dash: [Double]?, markers: Bool)
    /// The filled area between `lower[i]` and `upper[i]` over `x[i]` (e.g. mean ± sd
    /// over seeds), with opacity `alpha`. All three arrays have equal lengths.
    case band(x: [Double], lower: [Double], upper: [Double], alpha: Double)
    /// A horizontal line across the whole panel at height `y` (e.g. ln 2).
    case horizontalLine(y: Double, dash: [Double]?)
  }

  /// The legend entry; `nil` keeps the series out of the legend.
  public var label: String?
  /// The colour; `nil` takes the next colour of ``Color/palette`` (reference lines: grey).
  public var color: Color?
  /// The marks.
  public var kind: Kind

  /// Creates a series from its parts; see the static constructors for common defaults.
  public init(label: String?, color: Color?, kind: Kind) {
    switch kind {
    case .scatter(let x, let y, let size, let alpha):
      precondition(x.count == y.count, "scatter: x and y must have equal lengths")
      precondition(size > 0 && (0...1).contains(alpha), "scatter: bad marker size or alpha")
    case .line(let x, let y, let width, _, _):
      precondition(x.count == y.count, "line: x and y must have equal lengths")
      precondition(width > 0, "line: width must be positive")
    case .band(let x, let lower, let upper, let alpha):
      precondition(
        x.count == lower.count && x.count == upper.count,
        "band: x, lower and upper must have equal lengths")
      precondition((0...1).contains(alpha), "band: alpha must lie in 0...1")
    case .horizontalLine:
      break
    }
    self.label = label
    self.color = color
    self.kind = kind
  }
}

// MARK: - Constructors

extension Series {
  /// A scatter of paired coordinates.
  public static func scatter(
    x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
    markerSize: Double = 4, alpha: Double = 0.5
  ) -> Series {
    Series(label: label, color: color, kind: .scatter(x: x, y: y, markerSize: markerSize, alpha: alpha))
  }

  /// A scatter of 2-D points stored row-major: `[x0, y0, x1, y1, …]`, as the engine
  /// stores an n×2 matrix. The count must be even.
  public static func scatter<T: BinaryFloatingPoint>(
    points: [T], label: String? = nil, color: Color? = nil,
    markerSize: Double = 4, alpha: Double = 0.5
  ) -> Series {
    let (x, y) = splitRowMajor(points)
    return scatter(x: x, y: y, label: label, color: color, markerSize: markerSize, alpha: alpha)
  }

  /// A line through `(x[i], y[i])`.
  public static func line(
    x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
    width: Double = 1.5, dash: [Double]? = nil, markers: Bool = false
  ) -> Series {
    Series(label: label, color: color, kind: .line(x: x, y: y, width: width, dash: dash, markers: markers))
  }

  /// A band between `lower` and `upper` over `x`.
  public static func band(
    x: [Double], lower: [Double], upper: [Double], label: String? = nil,
    color: Color? = nil, alpha: Double = 0.2
  ) -> Series {
    Series(label: label, color: color, kind: .band(x: x, lower: lower, upper: upper, alpha: alpha))
  }

  /// A dashed horizontal reference line, grey unless coloured.
  public static func horizontalLine(
    y: Double, label: String? = nil, color: Color? = nil, dash: [Double]? = [5, 3]
  ) -> Series {
    Series(label: label, color: color, kind: .horizontalLine(y: y, dash: dash))
  }

  /// Splits row-major `[x0, y0, x1, y1, …]` into coordinate arrays.
  static func splitRowMajor<T: BinaryFloatingPoint>(_ points: [T]) -> (x: [Double], y: [Double]) {
    precondition(points.count % 2 == 0, "row-major 2-D points need an even count")
    let n = points.count / 2
    var x = [Double](repeating: 0, count: n)
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
      x[i] = Double(points[2 * i])
      y[i] = Double(points[2 * i + 1])
    }
    return (x, y)
  }
}
