/// A panel's series with everything the layout needs resolved: colours, histogram
/// bins, bar groups, automatic data ranges and counts of values left out.
struct PanelContent {
  /// One series ready to draw.
  struct Item {
    let series: Series
    let color: Color
    /// Histogram: bin edges (bins + 1) and counts.
    var histogram: (edges: [Double], counts: [Int])?
    /// Bars: this series' slot among the panel's bar series, and their number.
    var barSlot: (index: Int, of: Int)?
  }

  let panel: Panel
  let items: [Item]
  /// Labels of the categorical x axis when the panel draws bars.
  let categories: [String]?
  /// The automatic x range before padding, in the axis' linear coordinate (log10 on a
  /// log axis); `nil` when there is no data to place.
  let dataX: ClosedRange<Double>?
  /// The automatic y range before padding, in the axis' linear coordinate.
  let dataY: ClosedRange<Double>?
  /// Histograms or bars start at zero: no padding below (or above) zero.
  let pinsZero: Bool
  /// Values that are NaN or infinite, not drawn.
  let nonFiniteCount: Int
  /// Finite values ≤ 0 on a log axis, not drawn.
  let nonPositiveCount: Int
  /// Histogram values outside the robust bin range.
  let histogramOutsideCount: Int

  init(panel: Panel) {
    self.panel = panel
    var paletteIndex = 0
    var xs: [Double] = []
    var ys: [Double] = []
    var exactY: [Double] = []
    var nonFinite = 0
    var histogramValues: [Double] = []
    var histogramBins = 1
    var barCount = 0
    var categories: [String]? = nil
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
      case .histogram(let values, let bins):
        histogramValues += values.filter(\.isFinite)
        nonFinite += values.count(where: { !$0.isFinite })
        histogramBins = max(histogramBins, bins)
      case .bars(let labels, let values):
        barCount += 1
        if categories == nil || labels.count > (categories?.count ?? 0) { categories = labels }
        for value in values {
          if value.isFinite { exactY.append(value) } else { nonFinite += 1 }
        }
      case .horizontalLine:
        break
      }
    }

    // Shared histogram bins over the robust range of all histogram values.
    var edges: [Double] = []
    var histogramOutside = 0
    if !histogramValues.isEmpty {
      let range = RobustRange.nonDegenerate(RobustRange.of(histogramValues))
      let width = (range.upperBound - range.lowerBound) / Double(histogramBins)
      edges = (0...histogramBins).map { range.lowerBound + Double($0) * width }
      edges[histogramBins] = range.upperBound
      histogramOutside = histogramValues.count(where: { !range.contains($0) })
      xs.append(range.lowerBound)
      xs.append(range.upperBound)
    }

    var items: [Item] = []
    var barIndex = 0
    for (series, color) in zip(panel.series, colors) {
      var item = Item(series: series, color: color)
      switch series.kind {
      case .histogram(let values, _):
        guard edges.count >= 2 else { break }
        var counts = [Int](repeating: 0, count: edges.count - 1)
        let lo = edges[0], hi = edges[edges.count - 1]
        let binWidth = (hi - lo) / Double(counts.count)
        for value in values where value.isFinite && value >= lo && value <= hi {
          let bin = min(counts.count - 1, Int((value - lo) / binWidth))
          counts[bin] += 1
        }
        exactY.append(0)
        exactY.append(Double(counts.max() ?? 0))
        item.histogram = (edges, counts)
      case .bars:
        item.barSlot = (barIndex, barCount)
        barIndex += 1
        exactY.append(0)
      default:
        break
      }
      items.append(item)
    }
    if let categories {
      xs.append(-0.5)
      xs.append(Double(max(categories.count, 1)) - 0.5)
    }

    self.items = items
    self.categories = categories
    let xScale = panel.xScale, yScale = panel.yScale
    // Ranges are found in each axis' linear coordinate (log10 on log axes).
    self.dataX = RobustRange.of(xs.filter(xScale.accepts).map(xScale.forward))
    let exact = exactY.filter(yScale.accepts).map(yScale.forward)
    let exactRange = exact.min().flatMap { lo in exact.max().map { lo...$0 } }
    self.dataY = RobustRange.union(RobustRange.of(ys.filter(yScale.accepts).map(yScale.forward)), exactRange)
    self.pinsZero = (!histogramValues.isEmpty || barCount > 0) && yScale == .linear
    self.nonFiniteCount = nonFinite
    self.nonPositiveCount =
      (xScale == .log ? xs.count(where: { $0 <= 0 }) : 0) + (yScale == .log ? ys.count(where: { $0 <= 0 }) : 0)
    self.histogramOutsideCount = histogramOutside
  }

  /// The automatic x limits: data range padded by 5% (bars: exactly the category slots).
  var autoX: ClosedRange<Double> {
    let range = RobustRange.nonDegenerate(dataX)
    if categories != nil { return range }
    let onlyHistograms = items.allSatisfy { $0.histogram != nil || isReferenceLine($0.series) }
    let padded = RobustRange.padded(range, fraction: onlyHistograms ? 0.02 : 0.05)
    return panel.xScale.inverse(padded.lowerBound)...panel.xScale.inverse(padded.upperBound)
  }

  /// The automatic y limits: data range padded by 5%, not below zero for bars/histograms.
  var autoY: ClosedRange<Double> {
    let padded = RobustRange.padded(
      RobustRange.nonDegenerate(dataY), fraction: 0.05, pinLowerAtZero: pinsZero,
      pinUpperAtZero: pinsZero)
    return panel.yScale.inverse(padded.lowerBound)...panel.yScale.inverse(padded.upperBound)
  }

  private func isReferenceLine(_ series: Series) -> Bool {
    if case .horizontalLine = series.kind { return true }
    return false
  }
}
