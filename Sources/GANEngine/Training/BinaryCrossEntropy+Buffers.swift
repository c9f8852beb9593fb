extension BinaryCrossEntropy {
  /// Adds the element losses of `count` logits with one label to `sum`, in order
  /// (the same running Double sum as ``loss(logits:labels:)``). The losses are
  /// computed eight at a time; a short last group is padded with zeros, whose lanes
  /// are dropped.
  static func accumulateLoss(_ logits: UnsafePointer<Float>, count: Int, label: Float, into sum: inout Double) {
    var i = 0
    while i < count {
      let n = min(8, count - i)
      let losses = elementLosses(group(logits + i, count: n), label: label)
      for lane in 0..<n { sum += Double(losses[lane]) }
      i += 8
    }
  }

  /// out[i] = factor·(σ(z_i) − label), as ``gradient(logits:labels:scale:)`` with
  /// factor = scale / (number of logits in the loss).
  static func writeGradient(
    _ logits: UnsafePointer<Float>, count: Int, label: Float, factor: Float, into out: UnsafeMutablePointer<Float>
  ) {
    var i = 0
    while i < count {
      let n = min(8, count - i)
      let g = SIMD8(repeating: factor) * (Elementary.sigmoid(group(logits + i, count: n)) - SIMD8(repeating: label))
      for lane in 0..<n { out[i + lane] = g[lane] }
      i += 8
    }
  }

  /// Up to eight logits as one vector, zeros after the `count`th.
  private static func group(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
    if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
    var v = SIMD8<Float>(repeating: 0)
    for lane in 0..<count { v[lane] = p[lane] }
    return v
  }
}
