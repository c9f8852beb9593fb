import Foundation
import GANEngine

/// What a claim measured on the runs: whether it holds, and the values it compared.
struct ClaimEvaluation: Sendable, Equatable {
  var holds: Bool
  /// The claim with every operand replaced by its value, e.g. `5 == 5` or
  /// `2.114 > 1 and 0.31 < 1`.
  var measured: String
  /// The first operand's value as shown in prose (like `{value}`).
  var shown: String
}

extension ClaimExpression {
  /// Evaluates the claim; `runs(id)` gives an experiment's results in seed order.
  ///
  /// A value that does not exist (a statistic of no finite seeds) is `n/a`, and any
  /// comparison with it is false: a claim about a missing number does not hold.
  func evaluate(runs: (String) -> [(seed: UInt64, result: RunResult)]) -> ClaimEvaluation {
    let (holds, measured) = measure(runs)
    return ClaimEvaluation(holds: holds, measured: measured, shown: leftmost.shown(runs))
  }

  private func measure(_ runs: (String) -> [(seed: UInt64, result: RunResult)]) -> (Bool, String) {
    switch self {
    case .compare(let a, let op, let b):
      let (x, y) = (a.number(runs), b.number(runs))
      let holds = x.flatMap { x in y.map { op.holds(x, $0) } } ?? false
      return (holds, "\(a.measured(runs)) \(op.rawValue) \(b.measured(runs))")
    case .within(let a, let d, let b):
      var holds = false
      if let x = a.number(runs), let tolerance = d.number(runs), let y = b.number(runs) {
        holds = abs(x - y) <= tolerance
      }
      return (holds, "\(a.measured(runs)) within \(d.measured(runs)) of \(b.measured(runs))")
    case .and(let a, let b):
      let (p, left) = a.measure(runs)
      let (q, right) = b.measure(runs)
      return (p && q, "\(left) and \(right)")
    case .or(let a, let b):
      let (p, left) = a.measure(runs)
      let (q, right) = b.measure(runs)
      return (p || q, "\(left) or \(right)")
    case .group(let a):
      let (p, inner) = a.measure(runs)
      return (p, "(\(inner))")
    }
  }
}

extension ClaimOperand {
  /// The operand's value, or `nil` when it does not exist.
  func number(_ runs: (String) -> [(seed: UInt64, result: RunResult)]) -> Double? {
    switch value {
    case .number(let x): return x
    case .path(let reference):
      return ValueResolver(runs: runs(reference.experiment)).number(for: reference)
    }
  }

  /// The value in the measured text: counts as integers, other values with the path's
  /// precision, numbers as written (`ln2` as its value).
  func measured(_ runs: (String) -> [(seed: UInt64, result: RunResult)]) -> String {
    switch value {
    case .number(let x): return text == "ln2" ? format(x, 3) : text
    case .path(let reference):
      guard let x = number(runs) else { return "n/a" }
      return reference.isCount ? "\(Int(x))" : format(x, reference.precision)
    }
  }

  /// The value as `{value}` shows it (with a note when some seeds diverged).
  func shown(_ runs: (String) -> [(seed: UInt64, result: RunResult)]) -> String {
    switch value {
    case .number: return measured(runs)
    case .path(let reference): return ValueResolver(runs: runs(reference.experiment)).text(for: reference)
    }
  }
}

extension ValueReference {
  /// Whether the value counts seeds (shown as an integer).
  var isCount: Bool {
    switch (metric, statistic) {
    case (.seeds, _), (.diverged, _): true
    case (_, .count), (_, .below), (_, .above): true
    default: false
    }
  }
}
