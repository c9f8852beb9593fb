import Foundation

/// Adam exactly as Keras 3 (`optimizers/adam.py`), no AMSGrad. At step t = 1, 2, …:
///
///     m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
///     α = lr·sqrt(1 − β2ᵗ)/(1 − β1ᵗ);  θ ← θ − (m·α)/(sqrt(v) + ε)
///
/// ε is added to sqrt(v) without bias correction, unlike the paper's form.
///
/// ```swift
/// var adam = Adam()                 // lr 1e-3, β1 0.9, β2 0.999, ε 1e-7
/// adam.update(&model)               // one step on the model's accumulated gradients
/// ```
struct Adam: Sendable {
  /// First and second moment of one parameter tensor.
  struct State: Sendable, Hashable {
    var m: [Float]
    var v: [Float]
    init(count: Int) {
      m = [Float](repeating: 0, count: count)
      v = [Float](repeating: 0, count: count)
    }
  }

  let learningRate: Float
  let beta1: Float
  let beta2: Float
  let epsilon: Float
  /// Steps taken so far.
  private(set) var step: Int = 0
  /// One state per parameter tensor, in the model's visiting order.
  private(set) var states: [State] = []

  init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
    precondition(learningRate > 0 && learningRate.isFinite, "Adam: learning rate must be positive and finite")
    precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam: β1, β2 must be in [0, 1)")
    precondition(epsilon >= 0, "Adam: negative epsilon")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  /// The step size α at step `t` (float32 powers, like Keras; ``Elementary/power(_:_:)``
  /// rounds them correctly in all but rare cases, on every machine alike).
  func alpha(step t: Int) -> Float {
    let b1 = Elementary.power(beta1, t)
    let b2 = Elementary.power(beta2, t)
    return learningRate * (1 - b2).squareRoot() / (1 - b1)
  }

  /// One update of one tensor: the pure per-parameter rule.
  static func apply(
    parameter: inout [Float], gradient: [Float], state: inout State,
    alpha: Float, beta1: Float, beta2: Float, epsilon: Float
  ) {
    precondition(parameter.count == gradient.count && state.m.count == parameter.count,
                 "Adam.apply: parameter, gradient and state sizes differ")
    parameter.withUnsafeMutableBufferPointer { p in
      gradient.withUnsafeBufferPointer { g in
        state.m.withUnsafeMutableBufferPointer { m in
          state.v.withUnsafeMutableBufferPointer { v in
            guard let pb = p.baseAddress, let gb = g.baseAddress, let mb = m.baseAddress,
              let vb = v.baseAddress
            else { return }
            apply(parameter: pb, gradient: gb, m: mb, v: vb, count: p.count,
                  alpha: alpha, beta1: beta1, beta2: beta2, epsilon: epsilon)
          }
        }
      }
    }
  }

  /// The per-parameter rule on raw storage (the same arithmetic as the array form).
  static func apply(
    parameter p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
    alpha: Float, beta1: Float, beta2: Float, epsilon: Float
  ) {
    let oneMinusBeta1 = 1 - beta1
    let oneMinusBeta2 = 1 - beta2
    for i in 0..<count {
      m[i] += (g[i] - m[i]) * oneMinusBeta1
      v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
      p[i] -= (m[i] * alpha) / (v[i].squareRoot() + epsilon)
    }
  }

  /// One Adam step on preallocated tensors (their moments live in the tensors; this
  /// optimizer only counts steps). Same rule and step size as ``update(_:)``.
  mutating func update(_ tensors: [ParameterTensor]) {
    step += 1
    let a = alpha(step: step)
    for t in tensors {
      Adam.apply(parameter: t.value.base, gradient: t.gradient.base, m: t.firstMoment.base,
                 v: t.secondMoment.base, count: t.count, alpha: a, beta1: beta1, beta2: beta2,
                 epsilon: epsilon)
    }
  }

  /// One Adam step on every parameter tensor of `model`, using its accumulated
  /// gradients (which are left as they are; zero them before the next step).
  mutating func update(_ model: inout Sequential) {
    step += 1
    let a = alpha(step: step)
    var index = 0
    var states = self.states
    self.states = []
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    model.visitParameters { parameter, gradient in
      if index == states.count { states.append(State(count: parameter.count)) }
      Adam.apply(parameter: &parameter, gradient: gradient, state: &states[index],
                 alpha: a, beta1: b1, beta2: b2, epsilon: eps)
      index += 1
    }
    self.states = states
  }
}
