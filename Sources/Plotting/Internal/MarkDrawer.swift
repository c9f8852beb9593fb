/// Draws the marks of a panel's series (clipped to the plot area by the caller) and
/// counts what fell outside the limits.
struct MarkDrawer {
  let canvas: CairoCanvas
  let transform: DataTransform

  /// Scatter points outside the limits, drawn afterwards as edge markers.
  private(set) var scatterOutside = 0
  /// Finite line vertices outside the limits.
  private(set) var lineOutside = 0
  private var edgeMarkers: [(x: Double, y: Double, dx: Double, dy: Double, color: Color)] = []

  init(canvas: CairoCanvas, transform: DataTransform) {
    self.canvas = canvas
    self.transform = transform
  }

  mutating func draw(_ item: PanelContent.Item) {
    switch item.series.kind {
    case .scatter(let x, let y, let size, let alpha):
      drawScatter(x: x, y: y, radius: size / 2, color: item.color.withAlpha(alpha * item.color.alpha))
    case .line(let x, let y, let width, let dash, let markers):
      drawLine(x: x, y: y, width: width, dash: dash, markers: markers, color: item.color)
    case .band(let x, let lower, let upper, let alpha):
      drawBand(x: x, lower: lower, upper: upper, color: item.color.withAlpha(alpha * item.color.alpha))
    case .horizontalLine(let y, let dash):
      guard y.isFinite, transform.y.contains(y) else { return }
      let py = transform.py(y)
      canvas.setButtCaps()
      canvas.line(from: (transform.rect.minX, py), to: (transform.rect.maxX, py))
      canvas.setColor(item.color)
      canvas.stroke(width: 1.2, dash: dash)
      canvas.setRoundCaps()
    }
  }

  // MARK: - Kinds

  private mutating func drawScatter(x: [Double], y: [Double], radius: Double, color: Color) {
    canvas.setColor(color)
    let rect = transform.rect
    for i in x.indices where x[i].isFinite && y[i].isFinite {
      let px = transform.px(x[i]), py = transform.py(y[i])
      // Values ≤ 0 on a log axis have no position; the panel counts them.
      guard px.isFinite && py.isFinite else { continue }
      if transform.containsData(x[i], y[i]) {
        // One fill per marker, so overlapping translucent markers darken like matplotlib's.
        canvas.circle(px, py, radius: radius)
        canvas.fill()
      } else {
        scatterOutside += 1
        let cx = min(max(px, rect.minX + 5), rect.maxX - 5)
        let cy = min(max(py, rect.minY + 5), rect.maxY - 5)
        edgeMarkers.append((cx, cy, px - cx, py - cy, color.withAlpha(min(1, color.alpha + 0.4))))
      }
    }
  }

  private mutating func drawLine(
    x: [Double], y: [Double], width: Double, dash: [Double]?, markers: Bool, color: Color
  ) {
    // Clip each segment, in the axes' linear coordinates, to the limits widened by half
    // a span, so far-away vertices (1e6 after a divergence) never reach Cairo's
    // fixed-point range.
    let sx = transform.scaledX, sy = transform.scaledY
    let spanX = sx.upperBound - sx.lowerBound, spanY = sy.upperBound - sy.lowerBound
    let window = (
      x: (sx.lowerBound - spanX / 2)...(sx.upperBound + spanX / 2),
      y: (sy.lowerBound - spanY / 2)...(sy.upperBound + spanY / 2))
    var penDown = false
    var last: (Double, Double)? = nil
    for i in x.indices {
      let point = (transform.xScale.forward(x[i]), transform.yScale.forward(y[i]))
      guard point.0.isFinite && point.1.isFinite else {
        last = nil
        penDown = false
        continue
      }
      if !transform.containsData(x[i], y[i]) { lineOutside += 1 }
      defer { last = point }
      guard let previous = last else { continue }
      guard let (a, b) = Self.clip(from: previous, to: point, window: window) else {
        penDown = false
        continue
      }
      if !penDown || a != previous { canvas.moveTo(transform.pxScaled(a.0), transform.pyScaled(a.1)) }
      canvas.lineTo(transform.pxScaled(b.0), transform.pyScaled(b.1))
      penDown = b == point
    }
    canvas.setColor(color)
    canvas.stroke(width: width, dash: dash)
    if markers || x.count == 1 {
      let radius = max(2, width * 1.4)
      for i in x.indices where transform.containsData(x[i], y[i]) {
        canvas.circle(transform.px(x[i]), transform.py(y[i]), radius: radius)
      }
      canvas.fill()
    }
  }

  private mutating func drawBand(x: [Double], lower: [Double], upper: [Double], color: Color) {
    let rect = transform.rect.insetBy(-20)
    func clampX(_ v: Double) -> Double { min(max(v, rect.minX), rect.maxX) }
    func clampY(_ v: Double) -> Double { min(max(v, rect.minY), rect.maxY) }
    // One polygon per run of finite samples: along the upper edge, back along the lower.
    var run: [Int] = []
    func flush() {
      defer { run.removeAll() }
      guard run.count >= 2 else { return }
      for (k, i) in run.enumerated() {
        let px = clampX(transform.px(x[i])), py = clampY(transform.py(upper[i]))
        if k == 0 { canvas.moveTo(px, py) } else { canvas.lineTo(px, py) }
      }
      for i in run.reversed() {
        canvas.lineTo(clampX(transform.px(x[i])), clampY(transform.py(lower[i])))
      }
      canvas.closePath()
    }
    for i in x.indices {
      if x[i].isFinite && lower[i].isFinite && upper[i].isFinite {
        run.append(i)
      } else {
        flush()
      }
    }
    flush()
    canvas.setColor(color)
    canvas.fill()
  }

  /// Small triangles at the plot edge pointing towards points beyond the limits.
  func drawEdgeMarkers() {
    for marker in edgeMarkers {
      let length = (marker.dx * marker.dx + marker.dy * marker.dy).squareRoot()
      guard length > 0, length.isFinite else { continue }
      let ux = marker.dx / length, uy = marker.dy / length
      let size = 4.5
      canvas.moveTo(marker.x + ux * size, marker.y + uy * size)
      canvas.lineTo(marker.x - ux * size * 0.5 - uy * size * 0.7, marker.y - uy * size * 0.5 + ux * size * 0.7)
      canvas.lineTo(marker.x - ux * size * 0.5 + uy * size * 0.7, marker.y - uy * size * 0.5 - ux * size * 0.7)
      canvas.closePath()
      canvas.setColor(marker.color)
      canvas.fill()
    }
  }

  /// Liang–Barsky clipping of the segment a→b to `window`; `nil` if nothing is inside.
  static func clip(
    from a: (Double, Double), to b: (Double, Double),
    window: (x: ClosedRange<Double>, y: ClosedRange<Double>)
  ) -> ((Double, Double), (Double, Double))? {
    var t0 = 0.0, t1 = 1.0
    let dx = b.0 - a.0, dy = b.1 - a.1
    let checks = [
      (-dx, a.0 - window.x.lowerBound), (dx, window.x.upperBound - a.0),
      (-dy, a.1 - window.y.lowerBound), (dy, window.y.upperBound - a.1),
    ]
    for (p, q) in checks {
      if p == 0 {
        if q < 0 { return nil }
      } else {
        let r = q / p
        if p < 0 {
          if r > t1 { return nil }
          t0 = max(t0, r)
        } else {
          if r < t0 { return nil }
          t1 = min(t1, r)
        }
      }
    }
    let start = t0 == 0 ? a : (a.0 + t0 * dx, a.1 + t0 * dy)
    let end = t1 == 1 ? b : (a.0 + t1 * dx, a.1 + t1 * dy)
    return (start, end)
  }
}
