import GANEngine
import Plotting

/// `kind: curves`: losses over steps, of one seed or mean ± sd over the seeds.
enum CurvesFigure: FigureKind {
  static let name = "curves"
  static let keys = ["experiment", "experiments", "seed", "curves", "xlim", "ylim"]
  static let experiments = FigureExperiments.oneOrMore
  static let allowsAllSeeds = true
  static let defaultSize = (width: 640, height: 360)

  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String) {
    let steps = runs.map { $0.experiment.config.steps }.max() ?? 1
    var curves: [Curve] = []
    var columns: [(String, [Float?])] = []
    for experimentRuns in runs {
      let selected: [(seed: UInt64, result: RunResult)]
      if spec.seed == .all {
        selected = experimentRuns.results
      } else {
        selected = spec.chosen(experimentRuns).map { [$0] } ?? []
      }
      guard !selected.isEmpty else { continue }
      for name in spec.curves {
        let values = selected.map { curve(name, of: $0.result) }
        let title = curveTitle(name, among: spec.curves)
        let label = runs.count > 1 ? "\(experimentRuns.experiment.id): \(title)" : title
        // The inference-mode loss is sampled (every 10th step and the last one).
        let sampledAt = name == .dLossInference ? RunResult.Curves.inferenceLossSteps(upTo: steps) : nil
        curves.append(Curve(
          label: label, runs: values.map { FigureData.padded($0, to: sampledAt?.count ?? steps) },
          steps: sampledAt?.map(Double.init)))
        for (run, series) in zip(selected, values) {
          columns.append((
            "\(experimentRuns.experiment.id)_s\(run.seed)_\(name.rawValue)",
            sampledAt.map { FigureData.spread(series, at: $0, steps: steps) } ?? series))
        }
      }
    }
    guard !curves.isEmpty else { return spec.empty() }
    let notes = runs.flatMap { $0.results.compactMap { FigureData.divergenceNote($0.result, seed: $0.seed) } }
    var figure = StudyPlots.curves(
      steps: (1...steps).map(Double.init), curves: curves, yLimits: spec.ylim,
      width: spec.widthPoints, height: spec.heightPoints)
    if !notes.isEmpty { figure.panels[0].notes = (figure.panels[0].notes ?? []) + notes }
    if let xlim = spec.xlim { figure.panels[0].xLimits = xlim }
    figure.panels[0].legendTitle = FigureData.seedsTitle(curves)
    return (figure, FigureData.stepsCSV(columns, steps: steps))
  }

  static func curve(_ name: FigureSpec.CurveName, of result: RunResult) -> [Float] {
    switch name {
    case .gLoss: result.curves.gLoss
    case .dLoss: result.curves.dLoss
    case .dLossInference: result.curves.dLossInference
    }
  }

  /// A curve's legend name; the D losses say which mode when both are shown.
  static func curveTitle(_ name: FigureSpec.CurveName, among names: [FigureSpec.CurveName]) -> String {
    switch name {
    case .gLoss: "G loss"
    case .dLoss: names.contains(.dLossInference) ? "D loss, training mode" : "D loss"
    case .dLossInference: "D loss, inference mode"
    }
  }
}
