@testable import GANEngine

/// Helpers for finite-difference checks of the float32 engine.
///
/// Derivatives are central differences (f(θ + h) − f(θ − h)) / 2h with the loss
/// evaluated from float32 outputs and summed in Double. Truncation error is O(h²)
/// and rounding error about ε_float·|f|/h, so with h = 1e-2 on O(1) inputs both stay
/// near 1e-4 for these small batches; the tolerances in the tests leave a margin of
/// about ten over the largest deviation seen.
enum FiniteDifference {
  /// Deterministic pseudo-random values in about [−scale, scale] (fixed seed).
  static func values(count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = RandomStream(seed: seed, stream: 77)
    return (0..<count).map { _ in scale * rng.nextNormal() }
  }

  /// Central difference of `f` with respect to every element of `point`.
  static func gradient(at point: [Float], step h: Float, _ f: ([Float]) -> Double) -> [Double] {
    var result = [Double](repeating: 0, count: point.count)
    for i in point.indices {
      var plus = point
      plus[i] += h
      var minus = point
      minus[i] -= h
      result[i] = (f(plus) - f(minus)) / Double(plus[i] - minus[i])
    }
    return result
  }

  /// Σ w·y in Double: the probe loss whose gradient with respect to y is w.
  static func weightedSum(_ y: Matrix, _ w: [Float]) -> Double {
    var total: Double = 0
    for i in y.values.indices { total += Double(w[i]) * Double(y.values[i]) }
    return total
  }

  /// Largest |a − n| / (absolute + relative·|n|) over both arrays; ≤ 1 passes.
  static func worstRatio(_ analytic: [Float], _ numeric: [Double], absolute: Double, relative: Double) -> Double {
    precondition(analytic.count == numeric.count)
    var worst: Double = 0
    for i in analytic.indices {
      let allowed = absolute + relative * abs(numeric[i])
      worst = max(worst, abs(Double(analytic[i]) - numeric[i]) / allowed)
    }
    return worst
  }

  /// The parameter tensors of a layer (or their gradients), in visiting order.
  static func tensors<L: Layer>(of layer: L, gradients: Bool) -> [[Float]] {
    var copy = layer
    var out: [[Float]] = []
    copy.visitParameters { p, g in out.append(gradients ? g : p) }
    return out
  }

  /// `layer` with parameter tensor `tensor` replaced.
  static func replacing<L: Layer>(_ layer: L, tensor: Int, with values: [Float]) -> L {
    var copy = layer
    var index = 0
    copy.visitParameters { p, _ in
      if index == tensor { p = values }
      index += 1
    }
    return copy
  }

  /// `model` with parameter tensor `tensor` replaced.
  static func replacing(_ model: Sequential, tensor: Int, with values: [Float]) -> Sequential {
    var copy = model
    var index = 0
    copy.visitParameters { p, _ in
      if index == tensor { p = values }
      index += 1
    }
    return copy
  }

  /// The parameter tensors (or gradients) of a model, in visiting order.
  static func tensors(of model: Sequential, gradients: Bool) -> [[Float]] {
    var copy = model
    var out: [[Float]] = []
    copy.visitParameters { p, g in out.append(gradients ? g : p) }
    return out
  }
}
