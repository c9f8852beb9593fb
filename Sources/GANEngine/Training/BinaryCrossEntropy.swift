/// Binary cross-entropy on logits, as Keras' `BinaryCrossentropy(from_logits: true)`:
/// per element max(z, 0) − z·t + log(1 + exp(−|z|)) for logit z and label t, averaged
/// over the batch. The exponential and logarithm are the engine's own (``Elementary``),
/// eight logits at a time; one logit alone gives the same bits as in a vector.
enum BinaryCrossEntropy {
  /// The mean loss over all logits (summed in order, in Double).
  static func loss(logits: [Float], labels: [Float]) -> Float {
    precondition(logits.count == labels.count, "BinaryCrossEntropy: \(logits.count) logits, \(labels.count) labels")
    precondition(!logits.isEmpty, "BinaryCrossEntropy: empty batch")
    var sum: Double = 0
    for i in logits.indices {
      sum += Double(elementLoss(logit: logits[i], label: labels[i]))
    }
    return Float(sum / Double(logits.count))
  }

  /// The mean loss with one label for every logit.
  static func loss(logits: [Float], label: Float) -> Float {
    loss(logits: logits, labels: [Float](repeating: label, count: logits.count))
  }

  /// One element's loss.
  static func elementLoss(logit z: Float, label t: Float) -> Float {
    elementLosses(SIMD8(repeating: z), label: t)[0]
  }

  /// The losses of eight logits with one label.
  static func elementLosses(_ z: SIMD8<Float>, label t: Float) -> SIMD8<Float> {
    (Elementary.positivePart(z) - z * SIMD8(repeating: t)) + Elementary.softplusOfNegativeMagnitude(z)
  }

  /// d(mean loss)/dz for every logit, times `scale`: scale·(σ(z) − t)/n.
  static func gradient(logits: [Float], labels: [Float], scale: Float = 1) -> [Float] {
    precondition(logits.count == labels.count, "BinaryCrossEntropy: \(logits.count) logits, \(labels.count) labels")
    let factor = scale / Float(logits.count)
    var out = [Float](repeating: 0, count: logits.count)
    for i in logits.indices { out[i] = factor * (sigmoid(logits[i]) - labels[i]) }
    return out
  }

  /// The gradient with one label for every logit.
  static func gradient(logits: [Float], label: Float, scale: Float = 1) -> [Float] {
    gradient(logits: logits, labels: [Float](repeating: label, count: logits.count), scale: scale)
  }

  /// The logistic function, evaluated without overflow (``Elementary/sigmoid(_:)``).
  static func sigmoid(_ z: Float) -> Float {
    Elementary.sigmoid(SIMD8(repeating: z))[0]
  }
}
