import Plotting

/// `kind: samples`: real and generated points of one run.
enum SamplesFigure: FigureKind {
  static let name = "samples"
  static let keys = ["experiment", "seed", "xlim", "ylim"]
  static let experiments = FigureExperiments.one
  static let defaultSize = (width: 640, height: 480)

  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String) {
    guard let runs = runs.first, let run = spec.chosen(runs) else { return spec.empty() }
    let real = FigureData.population(of: run.result.config)
    let figure = spec.sized(StudyPlots.samples(
      real: real, fake: run.result.samples, title: nil, limits: spec.limits,
      notes: FigureData.divergenceNote(run.result).map { [$0] }, width: spec.widthPoints,
      height: spec.heightPoints))
    return (figure, FigureData.pointsCSV([("real", real), ("generated", run.result.samples)]))
  }
}
