import GANEngine

/// The text of a `{table}`: its column headers and, per row, a row header and cells.
/// The page renders it as HTML and `data/values.json` lists its cells, so both always
/// show the same numbers.
struct TableGrid {
  struct Cell {
    var text: String
    /// Right-aligned number column (`class="num"` in the page).
    var numeric: Bool
  }

  struct Row {
    /// The row header as shown: an experiment id (metrics, per-seed) or `group 1 alone`.
    var header: String
    /// Names the row uniquely in the table: the header, plus ` sN` in a per-seed table.
    var key: String
    /// The header is an id, set in code type.
    var headerIsCode: Bool
    var cells: [Cell]
    /// A run of the row diverged.
    var diverged: Bool
  }

  /// Header of the row-header column, e.g. `experiment`.
  var corner: String
  /// Headers of the cell columns, one per cell of each row.
  var headers: [String]
  var rows: [Row]

  /// The grid of `table`; `runs` gives an experiment's seeds' results in seed order.
  init(_ table: TableDirective, manuscript: Manuscript,
       runs: (ExperimentDirective) -> [(seed: UInt64, result: RunResult)]) {
    let experiments = table.experiments.compactMap { manuscript.experimentByID[$0] }
    switch table.kind {
    case .metrics: self = Self.metrics(table, experiments, runs)
    case .perSeed: self = Self.perSeed(table, experiments, runs)
    case .normalizationDemo: self = Self.demo(table)
    }
  }

  private init(corner: String, headers: [String], rows: [Row]) {
    self.corner = corner; self.headers = headers; self.rows = rows
  }

  /// Column headers and per-run values of the chosen metrics (`diverged` is its own column).
  static func columns(for metrics: [TableDirective.Metric]) -> [(header: String, value: (RunResult) -> Double)] {
    var out: [(String, (RunResult) -> Double)] = []
    for metric in metrics {
      switch metric {
      case .gLoss: out.append(("G loss", { Double($0.metrics.gLoss) }))
      case .dLoss: out.append(("D loss", { Double($0.metrics.dLoss) }))
      case .dLossInference: out.append(("D loss (inference)", { Double($0.metrics.dLossInference) }))
      case .shift:
        out.append(("shift x", { Double($0.metrics.shift.first ?? .nan) }))
        out.append(("shift y", { Double($0.metrics.shift.dropFirst().first ?? .nan) }))
      case .shiftNorm: out.append(("|shift|", { ValueResolver.shiftNorm($0) }))
      case .stdRatio:
        out.append(("sd ratio x", { Double($0.metrics.stdRatio.first ?? .nan) }))
        out.append(("sd ratio y", { Double($0.metrics.stdRatio.dropFirst().first ?? .nan) }))
      case .distance: out.append(("distance", { Double($0.metrics.distance) }))
      case .diverged: break
      }
    }
    return out
  }

  /// One row per experiment: mean ± sd over its seeds.
  private static func metrics(
    _ table: TableDirective, _ experiments: [ExperimentDirective],
    _ runs: (ExperimentDirective) -> [(seed: UInt64, result: RunResult)]
  ) -> TableGrid {
    let columns = columns(for: table.metrics)
    let showDiverged = table.metrics.contains(.diverged)
    let headers = ["seeds"] + columns.map(\.header) + (showDiverged ? ["diverged"] : [])
    let rows = experiments.map { experiment -> Row in
      let runs = runs(experiment)
      let diverged = runs.filter { $0.result.diverged }.count
      var cells = [Cell(text: "\(runs.count)", numeric: false)]
      for column in columns {
        let stats = SeedStatistics(runs.map { column.value($0.result) })
        cells.append(Cell(text: stats.plusMinus(precision: table.precision), numeric: true))
      }
      if showDiverged { cells.append(Cell(text: "\(diverged)/\(runs.count)", numeric: true)) }
      return Row(header: experiment.id, key: experiment.id, headerIsCode: true, cells: cells, diverged: diverged > 0)
    }
    return TableGrid(corner: "experiment", headers: headers, rows: rows)
  }

  /// One row per run.
  private static func perSeed(
    _ table: TableDirective, _ experiments: [ExperimentDirective],
    _ runs: (ExperimentDirective) -> [(seed: UInt64, result: RunResult)]
  ) -> TableGrid {
    let columns = columns(for: table.metrics)
    let showDiverged = table.metrics.contains(.diverged)
    let headers = ["seed"] + columns.map(\.header) + (showDiverged ? ["diverged"] : [])
    var rows: [Row] = []
    for experiment in experiments {
      for run in runs(experiment) {
        var cells = [Cell(text: "\(run.seed)", numeric: false)]
        for column in columns {
          cells.append(Cell(text: format(column.value(run.result), table.precision), numeric: true))
        }
        if showDiverged {
          let text = run.result.diverged ? "yes (step \(run.result.divergedAtStep ?? run.result.steps))" : "no"
          cells.append(Cell(text: text, numeric: false))
        }
        rows.append(Row(
          header: experiment.id, key: "\(experiment.id) s\(run.seed)", headerIsCode: true, cells: cells,
          diverged: run.result.diverged))
      }
    }
    return TableGrid(corner: "experiment", headers: headers, rows: rows)
  }

  /// Each group normalized alone, then all together, by the engine's BN layer.
  private static func demo(_ table: TableDirective) -> TableGrid {
    let groups = table.groups.map { $0.map(Float.init) }
    let demo = NormalizationDemo.normalize(groups)
    func list(_ values: [Float]) -> String {
      values.map { format(Double($0), table.precision) }.joined(separator: ", ")
    }
    func inputs(_ values: [Float]) -> String { values.map(shortNumber).joined(separator: ", ") }
    var rows: [Row] = []
    for (index, group) in groups.enumerated() {
      let header = "group \(index + 1) alone"
      rows.append(Row(
        header: header, key: header, headerIsCode: false,
        cells: [Cell(text: inputs(group), numeric: true), Cell(text: list(demo.separately[index]), numeric: true)],
        diverged: false))
    }
    rows.append(Row(
      header: "all jointly", key: "all jointly", headerIsCode: false,
      cells: [Cell(text: inputs(groups.flatMap { $0 }), numeric: true), Cell(text: list(demo.jointly), numeric: true)],
      diverged: false))
    return TableGrid(corner: "batch", headers: ["values", "normalized (engine BN, training mode)"], rows: rows)
  }
}
