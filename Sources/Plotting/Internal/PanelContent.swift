/// A panel's series with everything the layout needs resolved: colours, automatic
/// data ranges and counts of values left out.
struct PanelContent {
  /// One series ready to draw.
  struct Item {
    let series: Series
    let color: Color
  }

  let panel: Panel
  let items: [Item]
  /// The automatic x range before padding, in the axis' linear coordinate (log10 on a
  /// log axis); `nil` when there is no data to place.
  let dataX: ClosedRange<Double>?
  /// The automatic y range before padding, in the axis' linear coordinate.
  let dataY: ClosedRange<Double>?
  /// Values that are NaN or infinite, not drawn.
  let nonFiniteCount: Int
  /// Finite values ≤ 0 on a log axis, not drawn.
  let nonPositiveCount: Int

  init(panel: Panel) {
    self.panel = panel
    var paletteIndex = 0
    var xs: [Double] = []
    var ys: [Double] = []
    var exactY: [Double] = []
    var nonFinite = 0
    var colors: [Color] = []
    for series in panel.series {
      switch series.kind {
      case .horizontalLine(let y, _):
        colors.append(series.color ?? .gray)
        if y.isFinite { exactY.append(y) } else { nonFinite += 1 }
      default:
        colors.append(series.color ?? Color.palette[paletteIndex % Color.palette.count])
        paletteIndex += 1
      }
      switch series.kind {
      case .scatter(let x, let y, _, _), .line(let x, let y, _, _, _):
        for i in x.indices {
          if x[i].isFinite && y[i].isFinite {
            xs.append(x[i])
            ys.append(y[i])
          } else {
            nonFinite += 1
          }
        }
      case .band(let x, let lower, let upper, _):
        for i in x.indices {
          if x[i].isFinite && lower[i].isFinite && upper[i].isFinite {
            xs.append(x[i])
            ys.append(lower[i])
            ys.append(upper[i])
          } else {
            nonFinite += 1
          }
        }
      case .horizontalLine:
        break
      }
    }

    self.items = zip(panel.series, colors).map { Item(series: $0, color: $1) }
    let xScale = panel.xScale, yScale = panel.yScale
    // Ranges are found in each axis' linear coordinate (log10 on log axes).
    self.dataX = RobustRange.of(xs.filter(xScale.accepts).map(xScale.forward))
    let exact = exactY.filter(yScale.accepts).map(yScale.forward)
    let exactRange = exact.min().flatMap { lo in exact.max().map { lo...$0 } }
    self.dataY = RobustRange.union(RobustRange.of(ys.filter(yScale.accepts).map(yScale.forward)), exactRange)
    self.nonFiniteCount = nonFinite
    self.nonPositiveCount =
      (xScale == .log ? xs.count(where: { $0 <= 0 }) : 0) + (yScale == .log ? ys.count(where: { $0 <= 0 }) : 0)
  }

  /// The automatic x limits: data range padded by 5% (2% when the panel holds only
  /// reference lines).
  var autoX: ClosedRange<Double> {
    let range = RobustRange.nonDegenerate(dataX)
    let onlyReferenceLines = items.allSatisfy { isReferenceLine($0.series) }
    let padded = RobustRange.padded(range, fraction: onlyReferenceLines ? 0.02 : 0.05)
    return panel.xScale.inverse(padded.lowerBound)...panel.xScale.inverse(padded.upperBound)
  }

  /// The automatic y limits: data range padded by 5%.
  var autoY: ClosedRange<Double> {
    let padded = RobustRange.padded(RobustRange.nonDegenerate(dataY), fraction: 0.05)
    return panel.yScale.inverse(padded.lowerBound)...panel.yScale.inverse(padded.upperBound)
  }

  private func isReferenceLine(_ series: Series) -> Bool {
    if case .horizontalLine = series.kind { return true }
    return false
  }
}
