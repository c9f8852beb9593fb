/// An inline role in prose: `{name}` immediately followed by a code span, MyST style,
/// e.g. ``{value}`bn.d_loss` `` or ``{ref}`fig-samples` ``.
struct InlineRole: Sendable {
  enum Name: String, CaseIterable, Sendable {
    case value, ref, demo, claim
  }

  var name: Name
  /// The code span's text.
  var content: String
  /// Position of the role's `{`.
  var location: SourceLocation
  /// Index of the occurrence within its chapter (document order).
  var index: Int
}

/// A parsed `{value}` reference: `experiment.metric[.stat][:precision]`.
struct ValueReference: Hashable, Sendable {
  enum Metric: String, CaseIterable, Sendable {
    case gLoss = "g_loss", dLoss = "d_loss", dLossInference = "d_loss_inference"
    case shiftX = "shift_x", shiftY = "shift_y", stdRatioX = "std_ratio_x", stdRatioY = "std_ratio_y"
    case distance, shiftNorm = "shift_norm", diverged, seeds
  }

  enum Statistic: Hashable, Sendable {
    case pm, mean, sd, min, max, median, count
    case seed(UInt64)
    /// The number of seeds whose value is below (above) a threshold, e.g. `below-0.3`.
    case below(Double), above(Double)

    static let names = ["pm", "mean", "sd", "min", "max", "median", "count", "seed-N", "below-X", "above-X"]

    init?(name: String) {
      switch name {
      case "pm": self = .pm
      case "mean": self = .mean
      case "sd": self = .sd
      case "min": self = .min
      case "max": self = .max
      case "median": self = .median
      case "count": self = .count
      default:
        if name.hasPrefix("seed-"), let seed = UInt64(name.dropFirst(5)) {
          self = .seed(seed)
        } else if name.hasPrefix("below-"), let x = Double(name.dropFirst(6)), x.isFinite {
          self = .below(x)
        } else if name.hasPrefix("above-"), let x = Double(name.dropFirst(6)), x.isFinite {
          self = .above(x)
        } else {
          return nil
        }
      }
    }
  }

  var experiment: String
  var metric: Metric
  var statistic: Statistic
  var precision: Int

  /// Parses the text of a `{value}` role; on failure returns the reason.
  static func parse(_ text: String) -> Result<ValueReference, ValueError> {
    var body = Substring(text.trimmed)
    var precision = 3
    if let colon = body.lastIndex(of: ":") {
      let digits = body[body.index(after: colon)...]
      guard let number = Int(digits), (0...8).contains(number) else {
        return .failure(.badPrecision(String(digits)))
      }
      precision = number
      body = body[..<colon]
    }
    // At most three parts: a threshold statistic such as `below-0.3` carries a dot.
    let parts = body.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
      .map(String.init)
    guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty else {
      return .failure(.shape(text))
    }
    guard let metric = Metric(rawValue: parts[1]) else {
      return .failure(.unknownMetric(parts[1]))
    }
    var statistic: Statistic
    switch metric {
    case .diverged, .seeds: statistic = .count
    default: statistic = .pm
    }
    if parts.count == 3 {
      guard let parsed = Statistic(name: parts[2]) else {
        return .failure(.unknownStatistic(parts[2]))
      }
      statistic = parsed
    }
    switch (metric, statistic) {
    case (.seeds, .count), (.diverged, .count), (.diverged, .seed): break
    case (.seeds, _), (.diverged, _):
      return .failure(.statisticNotForMetric(parts[2], metric.rawValue))
    case (_, .count):
      return .failure(.statisticNotForMetric("count", metric.rawValue))
    default: break
    }
    return .success(ValueReference(
      experiment: parts[0], metric: metric, statistic: statistic, precision: precision))
  }

  /// Why a `{value}` text does not parse.
  enum ValueError: Error, Equatable {
    case shape(String), unknownMetric(String), unknownStatistic(String), badPrecision(String)
    case statisticNotForMetric(String, String)

    var message: String {
      switch self {
      case .shape(let text):
        return "malformed value `\(text)`: expected `experiment.metric[.stat][:precision]`, e.g. `bn.d_loss.mean:2`"
      case .unknownMetric(let name):
        return "unknown metric `\(name)`"
          + Suggestion.hint(for: name, in: Metric.allCases.map(\.rawValue))
          + "; expected one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))"
      case .unknownStatistic(let name):
        return "unknown statistic `\(name)`"
          + Suggestion.hint(
            for: name, in: Statistic.names.filter { !["seed-N", "below-X", "above-X"].contains($0) })
          + "; expected one of \(Statistic.names.joined(separator: ", "))"
      case .badPrecision(let digits):
        return "precision must be an integer in [0, 8], got `\(digits)`"
      case .statisticNotForMetric(let statistic, let metric):
        return "statistic `\(statistic)` does not apply to `\(metric)`"
      }
    }
  }
}
