import Foundation
import GANEngine
import Plotting

/// Turns a ``FigureDirective`` and the results of its runs into a Plotting figure and
/// the CSV of the data behind it.
struct FigureBuilder {
  /// The runs of one experiment that a figure uses, in seed order.
  struct ExperimentRuns {
    var experiment: ExperimentDirective
    var results: [(seed: UInt64, result: RunResult)]
  }

  let directive: FigureDirective
  let runs: [ExperimentRuns]

  /// The figure and its data as CSV text.
  func build() -> (figure: Figure, csv: String) {
    switch directive.kind {
    case .data: return data()
    case .samples: return samples()
    case .seedGrid: return seedGrid()
    case .featureMeans: return featureMeans()
    case .curves: return curves()
    case .lag: return lag()
    }
  }

  private var width: Double { Double(directive.width) }
  private var height: Double { Double(directive.height) }
  /// Whether the chapter gave `key` itself (rather than taking the kind's default).
  private func isExplicit(_ key: String) -> Bool {
    directive.block.entries.contains { $0.key == key }
  }

  /// With both limits given and no explicit `size`, the height follows the limits'
  /// aspect (one data unit as long on x as on y); an explicit size is kept as written.
  private func sized(_ figure: Figure) -> Figure {
    guard directive.xlim != nil, directive.ylim != nil, !isExplicit("size") else { return figure }
    return figure.fittingAspect(minHeight: 160, maxHeight: 1200)
  }

  private var limits: AxisLimits? {
    directive.xlim == nil && directive.ylim == nil ? nil : AxisLimits(x: directive.xlim, y: directive.ylim)
  }

  static func population(of config: ExperimentConfig) -> [Float] {
    Banana.population(seed: config.dataSeed, count: config.batchSize)
  }

  // MARK: - Kinds

  private func data() -> (Figure, String) {
    let count = ExperimentConfig().batchSize
    let real = Banana.population(seed: directive.dataSeed, count: count)
    let noise = Banana.noise(seed: directive.dataSeed, count: count)
    let figure = sized(StudyPlots.samples(
      real: real, fake: noise, realLabel: "real", fakeLabel: "noise", limits: limits,
      width: width, height: height))
    return (figure, pointsCSV([("real", real), ("noise", noise)]))
  }

  /// The run a single-seed figure shows.
  private func chosen(_ runs: ExperimentRuns) -> (seed: UInt64, result: RunResult)? {
    switch directive.seed {
    case .seed(let seed): return runs.results.first { $0.seed == seed }
    case .first, .all: return runs.results.first
    }
  }

  private func samples() -> (Figure, String) {
    guard let runs = runs.first, let run = chosen(runs) else { return empty() }
    let real = Self.population(of: run.result.config)
    let figure = sized(StudyPlots.samples(
      real: real, fake: run.result.samples, title: nil, limits: limits,
      notes: Self.divergenceNote(run.result).map { [$0] }, width: width, height: height))
    return (figure, pointsCSV([("real", real), ("generated", run.result.samples)]))
  }

  private func seedGrid() -> (Figure, String) {
    guard let runs = runs.first, let first = runs.results.first else { return empty() }
    let real = Self.population(of: first.result.config)
    let fakes = runs.results.map { run in
      (label: "seed \(run.seed)" + (run.result.diverged ? " (diverged)" : ""), points: run.result.samples)
    }
    let columns = max(1, min(isExplicit("columns") ? directive.columns : Self.gridColumns(fakes.count), fakes.count))
    let rows = (fakes.count + columns - 1) / columns
    let figure = sized(StudyPlots.seedGrid(
      real: real, fakes: fakes, columns: columns, limits: limits,
      panelWidth: max(60, (width - 40) / Double(columns)),
      panelHeight: max(60, (height - 40) / Double(rows))))
    var sets: [(String, [Float])] = [("real", real)]
    for run in runs.results { sets.append(("seed-\(run.seed)", run.result.samples)) }
    return (figure, pointsCSV(sets))
  }

  /// Columns of a seed grid when the chapter does not say: panels wide enough to read
  /// on a page (at most three across), rows as even as possible.
  static func gridColumns(_ count: Int) -> Int {
    switch count {
    case ...3: max(1, count)
    case 4: 2
    case 5...9: 3
    default: 4
    }
  }

  private func featureMeans() -> (Figure, String) {
    guard let runs = runs.first, let run = chosen(runs), let probe = run.result.probe else {
      return empty(note: "no batch-norm probe (the run stopped before the end)")
    }
    let figure = StudyPlots.featureMeans(
      real: probe.realMean, fake: probe.fakeMean, moving: probe.movingMean,
      width: width, height: height)
    var csv = "feature,real_mean,fake_mean,moving_mean,real_var,fake_var,moving_var\n"
    for i in probe.realMean.indices {
      csv += "\(i),\(probe.realMean[i]),\(probe.fakeMean[i]),\(probe.movingMean[i]),"
        + "\(probe.realVar[i]),\(probe.fakeVar[i]),\(probe.movingVar[i])\n"
    }
    return (figure, csv)
  }

  private func curves() -> (Figure, String) {
    let steps = runs.map { $0.experiment.config.steps }.max() ?? 1
    var curves: [Curve] = []
    var columns: [(String, [Float?])] = []
    for experimentRuns in runs {
      let selected: [(seed: UInt64, result: RunResult)]
      if directive.seed == .all {
        selected = experimentRuns.results
      } else {
        selected = chosen(experimentRuns).map { [$0] } ?? []
      }
      guard !selected.isEmpty else { continue }
      for name in directive.curves {
        let values = selected.map { Self.curve(name, of: $0.result) }
        let title = Self.curveTitle(name, among: directive.curves)
        let label = runs.count > 1 ? "\(experimentRuns.experiment.id): \(title)" : title
        // The inference-mode loss is sampled (every 10th step and the last one).
        let sampledAt = name == .dLossInference ? RunResult.Curves.inferenceLossSteps(upTo: steps) : nil
        curves.append(Curve(
          label: label, runs: values.map { Self.padded($0, to: sampledAt?.count ?? steps) },
          steps: sampledAt?.map(Double.init)))
        for (run, series) in zip(selected, values) {
          columns.append((
            "\(experimentRuns.experiment.id)_s\(run.seed)_\(name.rawValue)",
            sampledAt.map { Self.spread(series, at: $0, steps: steps) } ?? series))
        }
      }
    }
    guard !curves.isEmpty else { return empty() }
    let notes = runs.flatMap { $0.results.compactMap { Self.divergenceNote($0.result, seed: $0.seed) } }
    var figure = StudyPlots.curves(
      steps: (1...steps).map(Double.init), curves: curves, yLimits: directive.ylim,
      width: width, height: height)
    if !notes.isEmpty { figure.panels[0].notes = (figure.panels[0].notes ?? []) + notes }
    if let xlim = directive.xlim { figure.panels[0].xLimits = xlim }
    figure.panels[0].legendTitle = Self.seedsTitle(curves)
    return (figure, stepsCSV(columns, steps: steps))
  }

  /// The legend's title for curves averaged over seeds, e.g. "mean ± sd over 5 seeds"
  /// (Plotting says "runs"; here every run is one seed).
  static func seedsTitle(_ curves: [Curve]) -> String? {
    let counts = Set(curves.map(\.runs.count).filter { $0 >= 2 })
    guard let count = counts.first else { return nil }
    return counts.count == 1 ? "mean ± sd over \(count) seeds" : "mean ± sd over seeds"
  }

  /// A curve's legend name; the D losses say which mode when both are shown.
  static func curveTitle(_ name: FigureDirective.CurveName, among names: [FigureDirective.CurveName]) -> String {
    switch name {
    case .gLoss: "G loss"
    case .dLoss: names.contains(.dLossInference) ? "D loss, training mode" : "D loss"
    case .dLossInference: "D loss, inference mode"
    }
  }

  private func lag() -> (Figure, String) {
    let steps = runs.map { $0.experiment.config.steps }.max() ?? 1
    var curves: [Curve] = []
    var columns: [(String, [Float?])] = []
    for experimentRuns in runs where !experimentRuns.results.isEmpty {
      let values = experimentRuns.results.map { $0.result.curves.bnMeanLag }
      curves.append(Curve(label: experimentRuns.experiment.id, runs: values.map { Self.padded($0, to: steps) }))
      for (run, series) in zip(experimentRuns.results, values) {
        columns.append(("\(experimentRuns.experiment.id)_s\(run.seed)_mean_lag", series))
      }
    }
    guard !curves.isEmpty else { return empty() }
    var figure = StudyPlots.curves(
      steps: (1...steps).map(Double.init), curves: curves, yLabel: "mean |moving − batch|",
      referenceLine: nil, yLimits: directive.ylim, width: width, height: height)
    if let xlim = directive.xlim { figure.panels[0].xLimits = xlim }
    figure.panels[0].legendTitle = Self.seedsTitle(curves)
    return (figure, stepsCSV(columns, steps: steps))
  }

  private func empty(note: String = "no runs") -> (Figure, String) {
    let panel = Panel(series: [], notes: [note])
    return (Figure(width: width, height: height, panels: [panel]), "")
  }

  // MARK: - Helpers

  static func curve(_ name: FigureDirective.CurveName, of result: RunResult) -> [Float] {
    switch name {
    case .gLoss: result.curves.gLoss
    case .dLoss: result.curves.dLoss
    case .dLossInference: result.curves.dLossInference
    }
  }

  /// A curve as Doubles, NaN-padded to `steps` (a diverged run stops early).
  static func padded(_ values: [Float], to steps: Int) -> [Double] {
    var out = values.prefix(steps).map(Double.init)
    if out.count < steps { out += [Double](repeating: .nan, count: steps - out.count) }
    return out
  }

  /// A sampled curve as one entry per step: the values at their (1-based) steps,
  /// nil at the steps in between.
  static func spread(_ values: [Float], at sampleSteps: [Int], steps: Int) -> [Float?] {
    var out = [Float?](repeating: nil, count: steps)
    for (value, step) in zip(values, sampleSteps) where step >= 1 && step <= steps {
      out[step - 1] = value
    }
    return out
  }

  static func divergenceNote(_ result: RunResult, seed: UInt64? = nil) -> String? {
    guard result.diverged else { return nil }
    let who = seed.map { "seed \($0) " } ?? ""
    return "\(who)diverged at step \(result.divergedAtStep ?? result.steps)"
  }

  private func pointsCSV(_ sets: [(String, [Float])]) -> String {
    var csv = "set,x,y\n"
    for (name, points) in sets {
      var i = 0
      while i + 1 < points.count {
        csv += "\(name),\(points[i]),\(points[i + 1])\n"
        i += 2
      }
    }
    return csv
  }

  /// One row per step; a cell is empty where the run stopped or the curve was not sampled.
  private func stepsCSV(_ columns: [(String, [Float?])], steps: Int) -> String {
    var csv = "step" + columns.map { ",\($0.0)" }.joined() + "\n"
    for step in 0..<steps {
      csv += "\(step + 1)"
      for (_, values) in columns {
        if step < values.count, let value = values[step] {
          csv += ",\(value)"
        } else {
          csv += ","
        }
      }
      csv += "\n"
    }
    return csv
  }
}
