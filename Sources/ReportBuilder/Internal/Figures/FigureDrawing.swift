import Foundation
import GANEngine
import Plotting

/// What the figure kinds share: limits and sizing from the spec, the run a
/// single-seed figure shows, and the CSV of the data behind a figure.
extension FigureSpec {
  var widthPoints: Double { Double(width) }
  var heightPoints: Double { Double(height) }

  /// With both limits given and no explicit `size`, the height follows the limits'
  /// aspect (one data unit as long on x as on y); an explicit size is kept as written.
  func sized(_ figure: Figure) -> Figure {
    guard xlim != nil, ylim != nil, !sizeIsExplicit else { return figure }
    return figure.fittingAspect(minHeight: 160, maxHeight: 1200)
  }

  var limits: AxisLimits? {
    xlim == nil && ylim == nil ? nil : AxisLimits(x: xlim, y: ylim)
  }

  /// The run a single-seed figure shows.
  func chosen(_ runs: FigureRuns) -> (seed: UInt64, result: RunResult)? {
    switch seed {
    case .seed(let seed): return runs.results.first { $0.seed == seed }
    case .first, .all: return runs.results.first
    }
  }

  /// A figure with one note and no data.
  func empty(note: String = "no runs") -> (figure: Figure, csv: String) {
    let panel = Panel(series: [], notes: [note])
    return (Figure(width: widthPoints, height: heightPoints, panels: [panel]), "")
  }
}

/// Data helpers of the figure kinds.
enum FigureData {
  static func population(of config: ExperimentConfig) -> [Float] {
    Banana.population(seed: config.dataSeed, count: config.batchSize)
  }

  /// The legend's title for curves averaged over seeds, e.g. "mean ± sd over 5 seeds"
  /// (Plotting says "runs"; here every run is one seed).
  static func seedsTitle(_ curves: [Curve]) -> String? {
    let counts = Set(curves.map(\.runs.count).filter { $0 >= 2 })
    guard let count = counts.first else { return nil }
    return counts.count == 1 ? "mean ± sd over \(count) seeds" : "mean ± sd over seeds"
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

  /// `set,x,y` rows of point sets.
  static func pointsCSV(_ sets: [(String, [Float])]) -> String {
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
  static func stepsCSV(_ columns: [(String, [Float?])], steps: Int) -> String {
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
