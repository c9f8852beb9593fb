import Foundation
import GANEngine

/// Computes the text of a `{value}` role from an experiment's runs.
struct ValueResolver {
  let runs: [(seed: UInt64, result: RunResult)]

  static func shiftNorm(_ result: RunResult) -> Double {
    let shift = result.metrics.shift.map(Double.init)
    return shift.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }

  static func value(_ metric: ValueReference.Metric, of result: RunResult) -> Double {
    let m = result.metrics
    switch metric {
    case .gLoss: return Double(m.gLoss)
    case .dLoss: return Double(m.dLoss)
    case .dLossInference: return Double(m.dLossInference)
    case .shiftX: return Double(m.shift.first ?? .nan)
    case .shiftY: return Double(m.shift.dropFirst().first ?? .nan)
    case .stdRatioX: return Double(m.stdRatio.first ?? .nan)
    case .stdRatioY: return Double(m.stdRatio.dropFirst().first ?? .nan)
    case .distance: return Double(m.distance)
    case .shiftNorm: return shiftNorm(result)
    case .diverged: return result.diverged ? 1 : 0
    case .seeds: return 1
    }
  }

  /// The value a claim compares: the statistic of the metric over the seeds (`pm`
  /// means the mean), a count for `seeds`, `diverged`, `below-X` and `above-X`, and
  /// 1 or 0 for `diverged.seed-N`; `nil` when there is no such value.
  func number(for reference: ValueReference) -> Double? {
    switch reference.metric {
    case .seeds:
      return Double(runs.count)
    case .diverged:
      if case .seed(let seed) = reference.statistic {
        return runs.first { $0.seed == seed }.map { $0.result.diverged ? 1 : 0 }
      }
      return Double(runs.filter { $0.result.diverged }.count)
    default:
      break
    }
    let values = runs.map { Self.value(reference.metric, of: $0.result) }
    let stats = SeedStatistics(values)
    switch reference.statistic {
    case .pm, .mean: return stats.mean
    case .sd: return stats.sd
    case .min: return stats.min
    case .max: return stats.max
    case .median: return stats.median
    case .count: return Double(runs.count)
    case .seed(let seed):
      guard let run = runs.first(where: { $0.seed == seed }) else { return nil }
      let value = Self.value(reference.metric, of: run.result)
      return value.isFinite ? value : nil
    case .below(let threshold): return Double(values.filter { $0 < threshold }.count)
    case .above(let threshold): return Double(values.filter { $0 > threshold }.count)
    }
  }

  func text(for reference: ValueReference) -> String {
    switch reference.metric {
    case .seeds:
      return "\(runs.count)"
    case .diverged:
      if case .seed(let seed) = reference.statistic {
        guard let run = runs.first(where: { $0.seed == seed }) else { return "n/a" }
        return run.result.diverged ? "yes (step \(run.result.divergedAtStep ?? run.result.steps))" : "no"
      }
      return "\(runs.filter { $0.result.diverged }.count)"
    default:
      break
    }
    let stats = SeedStatistics(runs.map { Self.value(reference.metric, of: $0.result) })
    let p = reference.precision
    switch reference.statistic {
    case .pm: return stats.plusMinus(precision: p)
    case .mean: return stats.single(stats.mean, precision: p)
    case .sd: return stats.single(stats.sd, precision: p)
    case .min: return stats.single(stats.min, precision: p)
    case .max: return stats.single(stats.max, precision: p)
    case .median: return stats.single(stats.median, precision: p)
    case .count: return "\(runs.count)"
    case .seed(let seed):
      guard let run = runs.first(where: { $0.seed == seed }) else { return "n/a" }
      return format(Self.value(reference.metric, of: run.result), p)
    case .below(let threshold):
      // A non-finite value is never counted: a diverged seed is neither below nor above.
      return "\(runs.filter { Self.value(reference.metric, of: $0.result) < threshold }.count)"
    case .above(let threshold):
      return "\(runs.filter { Self.value(reference.metric, of: $0.result) > threshold }.count)"
    }
  }
}
