extension BinaryCrossEntropy {
  /// Adds the element losses of `count` logits with one label to `sum`, in order
  /// (the same running Double sum as ``loss(logits:labels:)``).
  static func accumulateLoss(_ logits: UnsafePointer<Float>, count: Int, label: Float, into sum: inout Double) {
    for i in 0..<count { sum += Double(elementLoss(logit: logits[i], label: label)) }
  }

  /// out[i] = factor·(σ(z_i) − label), as ``gradient(logits:labels:scale:)`` with
  /// factor = scale / (number of logits in the loss).
  static func writeGradient(
    _ logits: UnsafePointer<Float>, count: Int, label: Float, factor: Float, into out: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count { out[i] = factor * (sigmoid(logits[i]) - label) }
  }
}
