/// Where a panel's data lies on the page, for placing the legend and notes where they
/// hide the least: sample points of markers and lines.
struct OccupancyMap {
  private var points: [(x: Double, y: Double)] = []

  init(frame: FigureLayout.Frame) {
    let t = frame.transform
    for item in frame.content.items {
      switch item.series.kind {
      case .scatter(let x, let y, _, _):
        for i in x.indices where t.containsData(x[i], y[i]) {
          points.append((t.px(x[i]), t.py(y[i])))
        }
      case .line(let x, let y, _, _, _):
        addPolyline(x: x, y: y, transform: t)
      case .band(let x, let lower, let upper, _):
        addPolyline(x: x, y: lower, transform: t)
        addPolyline(x: x, y: upper, transform: t)
      case .horizontalLine(let y, _):
        guard y.isFinite, t.y.contains(y) else { continue }
        for k in 0...40 {
          points.append((t.rect.minX + Double(k) / 40 * t.rect.width, t.py(y)))
        }
      }
    }
  }

  /// Samples along each segment (every ~4 px), so a legend never sits on a line.
  private mutating func addPolyline(x: [Double], y: [Double], transform t: DataTransform) {
    for i in x.indices.dropFirst() {
      guard x[i - 1].isFinite, y[i - 1].isFinite, x[i].isFinite, y[i].isFinite else { continue }
      let a = (t.px(x[i - 1]), t.py(y[i - 1])), b = (t.px(x[i]), t.py(y[i]))
      let length = abs(b.0 - a.0) + abs(b.1 - a.1)
      guard length.isFinite else { continue }
      let steps = min(200, max(1, Int(length / 4)))
      for k in 0...steps {
        let f = Double(k) / Double(steps)
        points.append((a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1)))
      }
    }
    if x.count == 1, t.containsData(x[0], y[0]) { points.append((t.px(x[0]), t.py(y[0]))) }
  }

  /// How much data `box` would hide: the number of sample points it covers.
  func occupancy(_ box: Rect) -> Double {
    var score = 0.0
    for point in points where box.contains(point.x, point.y) { score += 1 }
    return score
  }
}
