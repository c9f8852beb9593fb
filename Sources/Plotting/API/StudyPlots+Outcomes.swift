extension StudyPlots {
  /// Final outcomes per setting over several runs: one bar per category at the mean of
  /// the runs, with every run drawn as a dot on it, so the spread (and how often an
  /// outcome happens) is visible.
  ///
  /// ```swift
  /// let fig = StudyPlots.outcomes(
  ///   title: "Final G loss", categories: ["baseline", "bn", "bn-joint"],
  ///   groups: [(label: "λ = 0", runs: [[0.69, 0.70], [0.68, 0.71], [6.5, 6.7]])],
  ///   yLabel: "G loss", referenceLine: 0.6931471805599453)
  /// ```
  /// - Parameters:
  ///   - categories: the x-axis categories.
  ///   - groups: one bar series per group (e.g. without and with the shift term); `runs`
  ///     holds, per category, the values of the individual runs (non-finite ones skipped).
  ///   - referenceLine: a dashed horizontal line (e.g. ln 2), or `nil`.
  public static func outcomes(
    title: String? = nil, categories: [String], groups: [(label: String, runs: [[Double]])],
    yLabel: String, referenceLine: Double? = nil, referenceLabel: String = "ln 2",
    yScale: AxisScale = .linear, width: Double = 640, height: Double = 380
  ) -> Figure {
    precondition(
      groups.allSatisfy { $0.runs.count == categories.count },
      "outcomes: each group needs one list of runs per category")
    var bars: [Series] = []
    var dotsX: [Double] = []
    var dotsY: [Double] = []
    for (slot, group) in groups.enumerated() {
      let color = Color.palette[slot % Color.palette.count]
      let means = group.runs.map { runs -> Double in
        let finite = runs.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
      }
      bars.append(
        .bars(
          labels: categories, values: means, label: "\(group.label) (mean)", color: color.withAlpha(0.6)))
      for (index, runs) in group.runs.enumerated() {
        let (left, barWidth) = BarGeometry.slot(category: index, slot: slot, of: groups.count)
        // Spread the dots evenly across the middle 60% of the bar, in run order.
        for (k, value) in runs.enumerated() {
          let offset = runs.count == 1 ? 0.5 : 0.2 + 0.6 * Double(k) / Double(runs.count - 1)
          dotsX.append(left + offset * barWidth)
          dotsY.append(value)
        }
      }
    }
    var series = bars
    series.append(
      .scatter(x: dotsX, y: dotsY, label: "individual runs", color: Color(hex: 0x222222), markerSize: 4.5, alpha: 0.75))
    if let referenceLine {
      series.append(.horizontalLine(y: referenceLine, label: referenceLabel))
    }
    let panel = Panel(yLabel: yLabel, yScale: yScale, series: series)
    return Figure(width: width, height: height, title: title, panels: [panel], legend: .auto)
  }
}
