/// Where a panel's data lies on the page, for placing the legend and notes where they
/// hide the least: sample points of markers and lines, and the rectangles of bars.
struct OccupancyMap {
  private var points: [(x: Double, y: Double)] = []
  private var areas: [Rect] = []

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
      case .histogram:
        if let (edges, counts) = item.histogram {
          for (i, count) in counts.enumerated() where count > 0 {
            let top = max(t.rect.minY, t.py(Double(count)))
            areas.append(Rect(x: t.px(edges[i]), y: top, width: t.px(edges[i + 1]) - t.px(edges[i]), height: t.rect.maxY - top))
          }
        }
      case .bars(_, let values):
        guard let slot = item.barSlot else { continue }
        for (i, value) in values.enumerated() where value.isFinite {
          let (left, width) = BarGeometry.slot(category: i, slot: slot.index, of: slot.of)
          let y0 = t.py(min(max(0, t.y.lowerBound), t.y.upperBound))
          let y1 = t.py(min(max(value, t.y.lowerBound), t.y.upperBound))
          areas.append(
            Rect(x: t.px(left), y: min(y0, y1), width: t.px(left + width) - t.px(left), height: abs(y1 - y0)))
        }
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

  /// How much data `box` would hide: covered sample points plus covered bar area / 20 px².
  func occupancy(_ box: Rect) -> Double {
    var score = 0.0
    for point in points where box.contains(point.x, point.y) { score += 1 }
    for area in areas where area.intersects(box) {
      let w = min(area.maxX, box.maxX) - max(area.minX, box.minX)
      let h = min(area.maxY, box.maxY) - max(area.minY, box.minY)
      score += w * h / 20
    }
    return score
  }
}
