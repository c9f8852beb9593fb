import GANEngine
import Plotting

/// `kind: data`: the real population against the generator's input noise.
enum DataFigure: FigureKind {
  static let name = "data"
  static let keys = ["data-seed", "xlim", "ylim"]
  static let experiments = FigureExperiments.none
  static let defaultSize = (width: 640, height: 480)

  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String) {
    let count = ExperimentConfig().batchSize
    let real = Banana.population(seed: spec.dataSeed, count: count)
    let noise = Banana.noise(seed: spec.dataSeed, count: count)
    let figure = spec.sized(StudyPlots.samples(
      real: real, fake: noise, realLabel: "real", fakeLabel: "noise", limits: spec.limits,
      width: spec.widthPoints, height: spec.heightPoints))
    return (figure, FigureData.pointsCSV([("real", real), ("noise", noise)]))
  }
}
