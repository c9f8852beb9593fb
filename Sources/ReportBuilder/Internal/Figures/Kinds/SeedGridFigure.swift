import Plotting

/// `kind: seed-grid`: one small scatter of real and generated points per seed.
enum SeedGridFigure: FigureKind {
  static let name = "seed-grid"
  static let keys = ["experiment", "columns", "xlim", "ylim"]
  static let experiments = FigureExperiments.one
  static let defaultSize = (width: 720, height: 480)

  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String) {
    guard let runs = runs.first, let first = runs.results.first else { return spec.empty() }
    let real = FigureData.population(of: first.result.config)
    let fakes = runs.results.map { run in
      (label: "seed \(run.seed)" + (run.result.diverged ? " (diverged)" : ""), points: run.result.samples)
    }
    let columns = max(1, min(spec.columns ?? gridColumns(fakes.count), fakes.count))
    let rows = (fakes.count + columns - 1) / columns
    let figure = spec.sized(StudyPlots.seedGrid(
      real: real, fakes: fakes, columns: columns, limits: spec.limits,
      panelWidth: max(60, (spec.widthPoints - 40) / Double(columns)),
      panelHeight: max(60, (spec.heightPoints - 40) / Double(rows))))
    var sets: [(String, [Float])] = [("real", real)]
    for run in runs.results { sets.append(("seed-\(run.seed)", run.result.samples)) }
    return (figure, FigureData.pointsCSV(sets))
  }

  /// Columns when the chapter does not say: panels wide enough to read on a page (at
  /// most three across), rows as even as possible.
  static func gridColumns(_ count: Int) -> Int {
    switch count {
    case ...3: max(1, count)
    case 4: 2
    case 5...9: 3
    default: 4
    }
  }
}
