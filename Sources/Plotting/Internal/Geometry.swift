/// An axis-aligned rectangle in figure coordinates (CSS px, y down).
struct Rect: Equatable {
  var x: Double
  var y: Double
  var width: Double
  var height: Double

  var minX: Double { x }
  var maxX: Double { x + width }
  var minY: Double { y }
  var maxY: Double { y + height }

  func contains(_ px: Double, _ py: Double) -> Bool {
    px >= minX && px <= maxX && py >= minY && py <= maxY
  }

  func insetBy(_ d: Double) -> Rect {
    Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d)
  }

  func intersects(_ other: Rect) -> Bool {
    minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
  }
}

/// Maps data coordinates of one panel to figure coordinates, through each axis' scale.
struct DataTransform {
  let rect: Rect
  let x: ClosedRange<Double>
  let y: ClosedRange<Double>
  var xScale: AxisScale = .linear
  var yScale: AxisScale = .linear

  /// The limits in each axis' linear coordinate (log10 for log axes).
  var scaledX: ClosedRange<Double> { xScale.forward(x.lowerBound)...xScale.forward(x.upperBound) }
  var scaledY: ClosedRange<Double> { yScale.forward(y.lowerBound)...yScale.forward(y.upperBound) }

  func px(_ value: Double) -> Double { pxScaled(xScale.forward(value)) }

  func py(_ value: Double) -> Double { pyScaled(yScale.forward(value)) }

  /// x position of a value already in the axis' linear coordinate.
  func pxScaled(_ t: Double) -> Double {
    let lo = xScale.forward(x.lowerBound), hi = xScale.forward(x.upperBound)
    return rect.minX + (t - lo) / (hi - lo) * rect.width
  }

  /// y position of a value already in the axis' linear coordinate.
  func pyScaled(_ t: Double) -> Double {
    let lo = yScale.forward(y.lowerBound), hi = yScale.forward(y.upperBound)
    return rect.maxY - (t - lo) / (hi - lo) * rect.height
  }

  func containsData(_ dx: Double, _ dy: Double) -> Bool {
    x.contains(dx) && y.contains(dy)
  }
}
