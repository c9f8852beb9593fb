import Plotting

/// `kind: feature-means`: D's first BN layer at the end of a run — per-feature means of
/// the real batch, the fake batch and the moving mean.
enum FeatureMeansFigure: FigureKind {
  static let name = "feature-means"
  static let keys = ["experiment", "seed", "ylim"]
  static let experiments = FigureExperiments.one
  static let defaultSize = (width: 640, height: 360)

  static func problem(with experiment: ExperimentDirective) -> String? {
    experiment.firstLayerBNProblem(kind: name)
  }

  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String) {
    guard let runs = runs.first, let run = spec.chosen(runs), let probe = run.result.probe else {
      return spec.empty(note: "no batch-norm probe (the run stopped before the end)")
    }
    let figure = StudyPlots.featureMeans(
      real: probe.realMean, fake: probe.fakeMean, moving: probe.movingMean,
      width: spec.widthPoints, height: spec.heightPoints)
    var csv = "feature,real_mean,fake_mean,moving_mean,real_var,fake_var,moving_var\n"
    for i in probe.realMean.indices {
      csv += "\(i),\(probe.realMean[i]),\(probe.fakeMean[i]),\(probe.movingMean[i]),"
        + "\(probe.realVar[i]),\(probe.fakeVar[i]),\(probe.movingVar[i])\n"
    }
    return (figure, csv)
  }
}
