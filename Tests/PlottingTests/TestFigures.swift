@testable import Plotting

/// Typical figures for the renderer tests, built from the public API alone: two point
/// sets in an equal-aspect scatter, small multiples of them, lines with markers, and
/// mean ± sd curves with a dashed reference line.
enum TestFigures {
  static func scatterPanel(
    _ first: [Double], _ second: [Double], title: String? = nil, limits: AxisLimits? = nil
  ) -> Panel {
    Panel(
      title: title, xLabel: "x", yLabel: "y", xLimits: limits?.x, yLimits: limits?.y, equalAspect: true,
      series: [
        .scatter(points: first, label: "first", color: .blue, markerSize: 3.5, alpha: 0.4),
        .scatter(points: second, label: "second", color: .orange, markerSize: 3.5, alpha: 0.4),
      ])
  }

  static func scatter(
    _ first: [Double], _ second: [Double], title: String? = nil, limits: AxisLimits? = nil,
    width: Double = 560, height: Double = 440
  ) -> Figure {
    Figure(width: width, height: height, title: title, panels: [scatterPanel(first, second, limits: limits)])
  }

  /// One panel per entry of `seconds`, shared axes, one legend below.
  static func grid(
    _ first: [Double], _ seconds: [[Double]], columns: Int, limits: AxisLimits?,
    panelWidth: Double, panelHeight: Double
  ) -> Figure {
    let panels = seconds.enumerated().map { scatterPanel(first, $0.element, title: "seed \($0.offset + 1)", limits: limits) }
    let rows = (panels.count + columns - 1) / columns
    return Figure(
      width: panelWidth * Double(columns) + 40, height: panelHeight * Double(rows) + 40, panels: panels,
      columns: columns, sharedX: true, sharedY: true, legend: .below)
  }

  /// Three lines with markers over the index of `values`.
  static func indexLines(_ values: [[Double]]) -> Figure {
    let x = (0..<(values.first?.count ?? 0)).map(Double.init)
    let series = values.enumerated().map {
      Series.line(x: x, y: $0.element, label: "line \($0.offset)", width: 1.2, markers: true)
    }
    return Figure(width: 720, height: 360, panels: [Panel(xLabel: "index", yLabel: "value", series: series)])
  }

  /// Mean ± sd of each curve over its runs, and a dashed line at 0.5.
  static func curves(steps: [Double], _ curves: [Curve]) -> Figure {
    var series: [Series] = []
    for (i, curve) in curves.enumerated() {
      let marks = curve.marks(x: steps, band: .standardDeviation, color: Color.palette[i], label: curve.label)
      series += [marks.band, marks.line].compactMap { $0 }
    }
    series.append(.horizontalLine(y: 0.5, label: "reference"))
    return Figure(width: 640, height: 360, panels: [Panel(xLabel: "step", yLabel: "loss", series: series)])
  }

  /// `n` banana-shaped points against as many Gaussian ones, from a fixed seed.
  static func bananaAndNoise(pointsPerSeries n: Int) -> Figure {
    var random = SplitMix64(seed: 2022)
    var banana: [Double] = []
    var noise: [Double] = []
    for _ in 0..<n {
      let y = 2 * random.normal()
      banana += [random.normal() + y * y / 2, y]
      noise += [random.normal(), random.normal()]
    }
    return scatter(banana, noise, title: "Benchmark")
  }
}
