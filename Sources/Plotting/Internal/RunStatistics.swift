/// Per-index mean and spread over several equally long runs; non-finite values are
/// skipped at their index (an index with no finite value gives NaN, a gap in the line).
struct RunStatistics {
  let mean: [Double]
  let sd: [Double]
  let min: [Double]
  let max: [Double]

  init(_ runs: [[Double]]) {
    let n = runs.first?.count ?? 0
    var mean = [Double](repeating: .nan, count: n)
    var sd = [Double](repeating: .nan, count: n)
    var lo = [Double](repeating: .nan, count: n)
    var hi = [Double](repeating: .nan, count: n)
    for i in 0..<n {
      let values = runs.map { $0[i] }.filter(\.isFinite)
      guard !values.isEmpty else { continue }
      let m = values.reduce(0, +) / Double(values.count)
      mean[i] = m
      lo[i] = values.min() ?? m
      hi[i] = values.max() ?? m
      if values.count >= 2 {
        let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        sd[i] = (ss / Double(values.count - 1)).squareRoot()
      } else {
        sd[i] = 0
      }
    }
    self.mean = mean
    self.sd = sd
    self.min = lo
    self.max = hi
  }

  /// The band's lower and upper edges, or `nil` for `.none`.
  func band(_ kind: Curve.Band) -> (lower: [Double], upper: [Double])? {
    switch kind {
    case .none:
      return nil
    case .standardDeviation:
      // Clipped to the runs' range: one wild run must not draw a negative loss.
      let lower = mean.indices.map { Swift.max(mean[$0] - sd[$0], min[$0]) }
      let upper = mean.indices.map { Swift.min(mean[$0] + sd[$0], max[$0]) }
      return (lower, upper)
    case .minMax:
      return (min, max)
    }
  }
}
