/// Summary statistics of 2-D point sets (row-major x, y pairs).
enum SampleMetrics {
  /// Per-coordinate mean and biased standard deviation, accumulated in Double.
  static func moments(_ points: [Float]) -> (mean: [Float], std: [Float]) {
    precondition(points.count % 2 == 0 && !points.isEmpty, "SampleMetrics: need (x, y) pairs")
    let n = points.count / 2
    var sum = [0.0, 0.0]
    for i in 0..<n {
      sum[0] += Double(points[2 * i])
      sum[1] += Double(points[2 * i + 1])
    }
    let mean = [sum[0] / Double(n), sum[1] / Double(n)]
    var squares = [0.0, 0.0]
    for i in 0..<n {
      for c in 0..<2 {
        let d = Double(points[2 * i + c]) - mean[c]
        squares[c] += d * d
      }
    }
    return (mean.map { Float($0) }, squares.map { Float(($0 / Double(n)).squareRoot()) })
  }

  /// The energy distance between the empirical distributions of two point sets
  /// (Székely & Rizzo), in its squared form with V-statistics over all pairs:
  /// 2·mean|a − b| − mean|a − a'| − mean|b − b'|, Euclidean norms, i and j over all
  /// points (diagonal included). It is ≥ 0, and 0 only for identical point sets.
  /// Exact, O(n·m); accumulated in Double in a fixed order.
  static func energyDistance(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count % 2 == 0 && b.count % 2 == 0 && !a.isEmpty && !b.isEmpty,
                 "SampleMetrics.energyDistance: need non-empty (x, y) pairs")
    let cross = meanPairDistance(a, b)
    let withinA = meanPairDistance(a, a)
    let withinB = meanPairDistance(b, b)
    return Float(2 * cross - withinA - withinB)
  }

  /// mean over i, j of ‖p_i − q_j‖.
  static func meanPairDistance(_ p: [Float], _ q: [Float]) -> Double {
    let n = p.count / 2
    let m = q.count / 2
    var total: Double = 0
    p.withUnsafeBufferPointer { pp in
      q.withUnsafeBufferPointer { qq in
        for i in 0..<n {
          let (x, y) = (pp[2 * i], pp[2 * i + 1])
          var row: Float = 0
          var rowTotal: Double = 0
          // Sum each row in blocks of 256 in Float, the blocks in Double.
          var j = 0
          while j < m {
            let end = min(j + 256, m)
            row = 0
            for k in j..<end {
              let dx = x - qq[2 * k]
              let dy = y - qq[2 * k + 1]
              row += (dx * dx + dy * dy).squareRoot()
            }
            rowTotal += Double(row)
            j = end
          }
          total += rowTotal
        }
      }
    }
    return total / (Double(n) * Double(m))
  }
}
