/// Batch normalization over the batch axis, as Keras' `BatchNormalization`.
///
/// - `.training`: μ and the biased σ² of the batch, y = γ·(x − μ)/sqrt(σ² + ε) + β,
///   gradients flow through μ and σ²; the same call updates
///   `movingMean ← movingMean·momentum + μ·(1 − momentum)` (and `movingVariance`
///   likewise with σ²). Every training-mode call updates them.
/// - `.inference`: normalizes with the moving statistics; nothing is updated.
///
/// ```swift
/// var bn = BatchNorm(width: 64)             // momentum 0.99, ε = 1e-3
/// _ = bn.forward(x, mode: .training)        // moving statistics move
/// bn.lastBatchMean                          // μ of x
/// _ = bn.forward(x, mode: .inference)       // moving statistics stay
/// ```
struct BatchNorm: Layer {
  /// Number of features.
  let width: Int
  /// Weight of the old value in the moving-statistics update.
  var momentum: Float
  /// Added to the variance before the square root.
  var epsilon: Float
  /// Scale γ (initially 1).
  var gamma: [Float]
  /// Offset β (initially 0).
  var beta: [Float]
  /// Moving mean (initially 0).
  var movingMean: [Float]
  /// Moving (biased) variance (initially 1).
  var movingVariance: [Float]
  /// Accumulated dL/dγ.
  private(set) var gradGamma: [Float]
  /// Accumulated dL/dβ.
  private(set) var gradBeta: [Float]
  /// Batch mean of the most recent training-mode call (empty before one).
  private(set) var lastBatchMean: [Float] = []
  /// Batch (biased) variance of the most recent training-mode call.
  private(set) var lastBatchVariance: [Float] = []

  private var lastMode: Mode = .inference
  private var normalized = Matrix(rows: 0, cols: 0)
  private var inverseStd: [Float]
  private var output = Matrix(rows: 0, cols: 0)
  private var gradInput = Matrix(rows: 0, cols: 0)

  var inputWidth: Int { width }
  var outputWidth: Int { width }

  /// A layer with Keras' initial values.
  init(width: Int, momentum: Float = 0.99, epsilon: Float = 1e-3) {
    precondition(width > 0, "BatchNorm: width must be positive")
    precondition(momentum >= 0 && momentum <= 1, "BatchNorm: momentum \(momentum) outside [0, 1]")
    precondition(epsilon >= 0, "BatchNorm: negative epsilon")
    self.width = width
    self.momentum = momentum
    self.epsilon = epsilon
    gamma = [Float](repeating: 1, count: width)
    beta = [Float](repeating: 0, count: width)
    movingMean = [Float](repeating: 0, count: width)
    movingVariance = [Float](repeating: 1, count: width)
    gradGamma = [Float](repeating: 0, count: width)
    gradBeta = [Float](repeating: 0, count: width)
    inverseStd = [Float](repeating: 0, count: width)
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    precondition(input.cols == width, "BatchNorm: input has \(input.cols) features, expected \(width)")
    let (n, f) = (input.rows, width)
    lastMode = mode
    let mean: [Float]
    switch mode {
    case .training:
      var batchMean = [Float](repeating: 0, count: f)
      var batchVariance = [Float](repeating: 0, count: f)
      input.columnMoments(mean: &batchMean, variance: &batchVariance)
      for c in 0..<f {
        inverseStd[c] = 1 / (batchVariance[c] + epsilon).squareRoot()
        movingMean[c] = movingMean[c] * momentum + batchMean[c] * (1 - momentum)
        movingVariance[c] = movingVariance[c] * momentum + batchVariance[c] * (1 - momentum)
      }
      mean = batchMean
      lastBatchMean = batchMean
      lastBatchVariance = batchVariance
    case .inference:
      for c in 0..<f { inverseStd[c] = 1 / (movingVariance[c] + epsilon).squareRoot() }
      mean = movingMean
    }
    normalized.reshape(rows: n, cols: f)
    output.reshape(rows: n, cols: f)
    input.values.withUnsafeBufferPointer { xp in
      normalized.values.withUnsafeMutableBufferPointer { hp in
        output.values.withUnsafeMutableBufferPointer { yp in
          mean.withUnsafeBufferPointer { mup in
            inverseStd.withUnsafeBufferPointer { sp in
              gamma.withUnsafeBufferPointer { gp in
                beta.withUnsafeBufferPointer { bp in
                  guard var x = xp.baseAddress, var xh = hp.baseAddress, var y = yp.baseAddress,
                    let mu = mup.baseAddress, let s = sp.baseAddress, let g = gp.baseAddress,
                    let b = bp.baseAddress
                  else { return }
                  for _ in 0..<n {
                    for c in 0..<f {
                      let h = (x[c] - mu[c]) * s[c]
                      xh[c] = h
                      y[c] = g[c] * h + b[c]
                    }
                    x += f
                    xh += f
                    y += f
                  }
                }
              }
            }
          }
        }
      }
    }
    return output
  }

  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    precondition(gradOutput.rows == normalized.rows && gradOutput.cols == width,
                 "BatchNorm.backward: gradient shape does not match the last forward")
    let (n, f) = (gradOutput.rows, width)
    var sumDy = [Float](repeating: 0, count: f)
    var sumDyXhat = [Float](repeating: 0, count: f)
    gradOutput.values.withUnsafeBufferPointer { dyp in
      normalized.values.withUnsafeBufferPointer { hp in
        sumDy.withUnsafeMutableBufferPointer { ap in
          sumDyXhat.withUnsafeMutableBufferPointer { bp in
            guard var dy = dyp.baseAddress, var xh = hp.baseAddress, let a = ap.baseAddress,
              let b = bp.baseAddress
            else { return }
            for _ in 0..<n {
              for c in 0..<f {
                a[c] += dy[c]
                b[c] += dy[c] * xh[c]
              }
              dy += f
              xh += f
            }
          }
        }
      }
    }
    if parameterGradients {
      for c in 0..<f {
        gradBeta[c] += sumDy[c]
        gradGamma[c] += sumDyXhat[c]
      }
    }
    gradInput.reshape(rows: n, cols: f)
    var scale = [Float](repeating: 0, count: f)
    for c in 0..<f { scale[c] = gamma[c] * inverseStd[c] }
    let training = lastMode == .training
    let inverseCount = 1 / Float(n)
    for c in 0..<f {
      sumDy[c] *= inverseCount
      sumDyXhat[c] *= inverseCount
    }
    gradOutput.values.withUnsafeBufferPointer { dyp in
      normalized.values.withUnsafeBufferPointer { hp in
        gradInput.values.withUnsafeMutableBufferPointer { dxp in
          scale.withUnsafeBufferPointer { kp in
            sumDy.withUnsafeBufferPointer { ap in
              sumDyXhat.withUnsafeBufferPointer { bp in
                guard var dy = dyp.baseAddress, var xh = hp.baseAddress, var dx = dxp.baseAddress,
                  let k = kp.baseAddress, let a = ap.baseAddress, let b = bp.baseAddress
                else { return }
                if training {
                  for _ in 0..<n {
                    for c in 0..<f { dx[c] = k[c] * (dy[c] - a[c] - xh[c] * b[c]) }
                    dy += f
                    xh += f
                    dx += f
                  }
                } else {
                  for _ in 0..<n {
                    for c in 0..<f { dx[c] = k[c] * dy[c] }
                    dy += f
                    dx += f
                  }
                }
              }
            }
          }
        }
      }
    }
    return gradInput
  }

  mutating func zeroGradients() {
    for c in 0..<width {
      gradGamma[c] = 0
      gradBeta[c] = 0
    }
  }

  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {
    body(&gamma, gradGamma)
    body(&beta, gradBeta)
  }
}
