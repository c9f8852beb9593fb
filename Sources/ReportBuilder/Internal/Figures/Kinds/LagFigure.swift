import Plotting

/// `kind: lag`: the gap between D's first-layer moving mean and batch mean over steps.
enum LagFigure: FigureKind {
  static let name = "lag"
  static let keys = ["experiment", "experiments", "xlim", "ylim"]
  static let experiments = FigureExperiments.oneOrMore
  static let defaultSize = (width: 640, height: 360)

  static func problem(with experiment: ExperimentDirective) -> String? {
    experiment.firstLayerBNProblem(kind: name)
  }

  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String) {
    let steps = runs.map { $0.experiment.config.steps }.max() ?? 1
    var curves: [Curve] = []
    var columns: [(String, [Float?])] = []
    for experimentRuns in runs where !experimentRuns.results.isEmpty {
      let values = experimentRuns.results.map { $0.result.curves.bnMeanLag }
      curves.append(Curve(
        label: experimentRuns.experiment.id, runs: values.map { FigureData.padded($0, to: steps) }))
      for (run, series) in zip(experimentRuns.results, values) {
        columns.append(("\(experimentRuns.experiment.id)_s\(run.seed)_mean_lag", series))
      }
    }
    guard !curves.isEmpty else { return spec.empty() }
    var figure = StudyPlots.curves(
      steps: (1...steps).map(Double.init), curves: curves, yLabel: "mean |moving − batch|",
      referenceLine: nil, yLimits: spec.ylim, width: spec.widthPoints, height: spec.heightPoints)
    if let xlim = spec.xlim { figure.panels[0].xLimits = xlim }
    figure.panels[0].legendTitle = FigureData.seedsTitle(curves)
    return (figure, FigureData.stepsCSV(columns, steps: steps))
  }
}
