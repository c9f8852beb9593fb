import Plotting

extension Color {
  /// The colour of real data in the study's figures (Okabe–Ito blue).
  static let real = Color.blue
  /// The colour of generated data or noise in the study's figures (Okabe–Ito orange).
  static let generated = Color.orange
}

/// The study's figure presets, built from the general figures of `Plotting`.
///
/// Points are 2-D and stored row-major, `[x0, y0, x1, y1, …]` (an n×2 matrix as the
/// engine stores it), as `[Float]` or `[Double]`. Real data is blue, generated data
/// or noise orange, markers translucent, with a legend; loss curves carry a dashed
/// line at ln 2, the loss of a discriminator that cannot tell the two apart.
enum StudyPlots {
  /// The equilibrium loss ln 2 and its legend label.
  static let equilibriumLoss = 0.6931471805599453
  static let equilibriumLabel = "ln 2"
  /// Default marker diameter (points) for sample scatters.
  static let markerSize = 3.5
  /// Default marker opacity for sample scatters.
  static let markerAlpha = 0.4

  /// Real and generated (or noise) samples in one equal-aspect scatter.
  ///
  /// ```swift
  /// let fig = StudyPlots.samples(real: population, fake: generated, fakeLabel: "generated")
  /// ```
  /// - Parameters:
  ///   - limits: fixed axis limits; `nil` chooses them from both point sets.
  static func samples<T: BinaryFloatingPoint>(
    real: [T], fake: [T], realLabel: String = "real", fakeLabel: String = "generated",
    title: String? = nil, limits: AxisLimits? = nil, notes: [String]? = nil,
    width: Double = 560, height: Double = 440
  ) -> Figure {
    let panel = samplePanel(
      real: real, fake: fake, realLabel: realLabel, fakeLabel: fakeLabel, title: nil,
      limits: limits, notes: notes)
    return Figure(width: width, height: height, title: title, panels: [panel], legend: .auto)
  }

  /// Small multiples: the same real population against several generated sets (one
  /// per seed or setting), with shared axes and one legend below the grid.
  ///
  /// - Parameters:
  ///   - fakes: one `(label, points)` per panel; the label becomes the panel title.
  ///   - columns: grid columns (rows follow).
  ///   - limits: fixed limits for every panel; `nil` chooses common limits from all data.
  static func seedGrid<T: BinaryFloatingPoint>(
    real: [T], fakes: [(label: String, points: [T])], columns: Int = 3,
    realLabel: String = "real", fakeLabel: String = "generated", title: String? = nil,
    limits: AxisLimits? = nil, panelWidth: Double = 260, panelHeight: Double = 230
  ) -> Figure {
    precondition(columns >= 1, "seedGrid: at least one column")
    let panels = fakes.map { fake in
      samplePanel(
        real: real, fake: fake.points, realLabel: realLabel, fakeLabel: fakeLabel,
        title: fake.label, limits: limits, notes: nil)
    }
    let columns = max(1, min(columns, panels.count))
    let rows = max(1, (panels.count + columns - 1) / columns)
    return Figure(
      width: panelWidth * Double(columns) + 40,
      height: panelHeight * Double(rows) + (title == nil ? 40 : 70),
      title: title, panels: panels, columns: columns, sharedX: true, sharedY: true,
      legend: .below)
  }

  /// Per-feature means over the first layer's features (index on x): the real batch's
  /// mean, the fake batch's mean and BN's moving mean, as lines with markers.
  static func featureMeans<T: BinaryFloatingPoint>(
    real: [T], fake: [T], moving: [T], title: String? = nil,
    xLabel: String = "feature", yLabel: String = "mean pre-activation",
    width: Double = 720, height: Double = 360
  ) -> Figure {
    precondition(
      real.count == fake.count && real.count == moving.count,
      "featureMeans: three arrays of equal length")
    let index = (0..<real.count).map(Double.init)
    let panel = Panel(
      xLabel: xLabel, yLabel: yLabel,
      series: [
        .line(x: index, y: real.map { Double($0) }, label: "real batch mean", color: .real,
              width: 1.2, markers: true),
        .line(x: index, y: fake.map { Double($0) }, label: "fake batch mean", color: .generated,
              width: 1.2, markers: true),
        .line(x: index, y: moving.map { Double($0) }, label: "moving mean", color: .green,
              width: 1.2, dash: [4, 2], markers: true),
      ])
    return Figure(width: width, height: height, title: title, panels: [panel], legend: .auto)
  }

  /// Curves over training steps, e.g. G and D losses, each the mean over runs with an
  /// optional band, plus a dashed reference line (ln 2 by default).
  ///
  /// ```swift
  /// let fig = StudyPlots.curves(
  ///   title: "bn-joint", steps: steps,
  ///   curves: [Curve(label: "G loss", runs: gLossPerSeed), Curve(label: "D loss", runs: dLossPerSeed)])
  /// ```
  /// - Parameters:
  ///   - steps: the x values, one per entry of each run (a curve with its own
  ///     ``Curve/steps`` uses those).
  ///   - referenceLine: height of the dashed reference line; `nil` for none.
  ///   - yScale: `.log` when the curves span decades (e.g. a D loss of 0.007 next to 4.2).
  static func curves(
    title: String? = nil, steps: [Double], curves: [Curve], xLabel: String = "step",
    yLabel: String = "loss", referenceLine: Double? = equilibriumLoss,
    referenceLabel: String = equilibriumLabel, band: Curve.Band = .standardDeviation,
    yLimits: ClosedRange<Double>? = nil, yScale: AxisScale = .linear, width: Double = 640,
    height: Double = 360
  ) -> Figure {
    let panel = curvePanel(
      title: nil, steps: steps, curves: curves, xLabel: xLabel, yLabel: yLabel,
      referenceLine: referenceLine, referenceLabel: referenceLabel, band: band, yLimits: yLimits,
      yScale: yScale)
    return Figure(width: width, height: height, title: title, panels: [panel], legend: .auto)
  }

  /// A panel of curves over steps (the body of ``curves(title:steps:curves:xLabel:yLabel:referenceLine:referenceLabel:band:yLimits:yScale:width:height:)``),
  /// for composing several into one figure.
  static func curvePanel(
    title: String?, steps: [Double], curves: [Curve], xLabel: String = "step",
    yLabel: String = "loss", referenceLine: Double? = equilibriumLoss,
    referenceLabel: String = equilibriumLabel, band: Curve.Band = .standardDeviation,
    yLimits: ClosedRange<Double>? = nil, yScale: AxisScale = .linear
  ) -> Panel {
    var bands: [Series] = []
    var lines: [Series] = []
    // The summary ("mean ± sd over 5 runs") goes once into the legend's title; only
    // when curves average different numbers of runs does each label carry its count.
    let runCounts = Set(curves.map(\.runs.count).filter { $0 >= 2 })
    let summary: String
    switch band {
    case .none: summary = "mean"
    case .standardDeviation: summary = "mean ± sd"
    case .minMax: summary = "mean, band min–max"
    }
    var legendTitle: String? = nil
    if runCounts.count == 1, let count = runCounts.first {
      legendTitle = "\(summary) over \(count) runs"
    } else if runCounts.count > 1 {
      legendTitle = summary
    }
    for (index, curve) in curves.enumerated() {
      let x = curve.steps ?? steps
      precondition(curve.runs[0].count == x.count, "curves: each run needs one value per step")
      let color = curve.color ?? Color.palette[index % Color.palette.count]
      let label = runCounts.count > 1 && curve.runs.count >= 2
        ? "\(curve.label) (\(curve.runs.count) runs)" : curve.label
      let marks = curve.marks(x: x, band: band, color: color, label: label)
      if let spread = marks.band { bands.append(spread) }
      lines.append(marks.line)
    }
    var series = bands + lines
    if let referenceLine {
      series.append(.horizontalLine(y: referenceLine, label: referenceLabel))
    }
    return Panel(
      title: title, xLabel: xLabel, yLabel: yLabel, yLimits: yLimits, yScale: yScale,
      series: series, legendTitle: legendTitle)
  }

  /// The scatter panel behind ``samples(real:fake:realLabel:fakeLabel:title:limits:notes:width:height:)``.
  static func samplePanel<T: BinaryFloatingPoint>(
    real: [T], fake: [T], realLabel: String = "real", fakeLabel: String = "generated",
    title: String? = nil, limits: AxisLimits? = nil, notes: [String]? = nil
  ) -> Panel {
    Panel(
      title: title, xLabel: "x", yLabel: "y", xLimits: limits?.x, yLimits: limits?.y,
      equalAspect: true,
      series: [
        .scatter(points: real, label: realLabel, color: .real, markerSize: markerSize, alpha: markerAlpha),
        .scatter(points: fake, label: fakeLabel, color: .generated, markerSize: markerSize, alpha: markerAlpha),
      ],
      notes: notes)
  }
}
