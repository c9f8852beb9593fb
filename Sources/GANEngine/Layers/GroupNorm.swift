/// Group normalization, as Keras' `GroupNormalization`: the features are split into
/// `groups` contiguous groups; each row is normalized per group with that group's
/// mean and biased variance, then scaled and shifted per feature:
/// y = γ·(x − μ)/sqrt(σ² + ε) + β. No batch statistics, so both modes are equal.
///
/// With one group this is layer normalization (see ``LayerNorm``).
struct GroupNorm: Layer {
  /// Number of features.
  let width: Int
  /// Number of contiguous feature groups (divides `width`).
  let groups: Int
  /// Added to the variance before the square root.
  var epsilon: Float
  /// Scale γ per feature (initially 1).
  var gamma: [Float]
  /// Offset β per feature (initially 0).
  var beta: [Float]
  /// Accumulated dL/dγ.
  private(set) var gradGamma: [Float]
  /// Accumulated dL/dβ.
  private(set) var gradBeta: [Float]

  private var normalized = Matrix(rows: 0, cols: 0)
  /// 1/sqrt(σ² + ε) per row and group, row-major (rows × groups).
  private var inverseStd: [Float] = []
  private var output = Matrix(rows: 0, cols: 0)
  private var gradInput = Matrix(rows: 0, cols: 0)

  var inputWidth: Int { width }
  var outputWidth: Int { width }

  /// A layer with γ = 1, β = 0.
  init(width: Int, groups: Int, epsilon: Float = 1e-3) {
    precondition(width > 0 && groups > 0 && width % groups == 0,
                 "GroupNorm: \(groups) groups do not divide width \(width)")
    precondition(epsilon >= 0, "GroupNorm: negative epsilon")
    self.width = width
    self.groups = groups
    self.epsilon = epsilon
    gamma = [Float](repeating: 1, count: width)
    beta = [Float](repeating: 0, count: width)
    gradGamma = [Float](repeating: 0, count: width)
    gradBeta = [Float](repeating: 0, count: width)
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    precondition(input.cols == width, "GroupNorm: input has \(input.cols) features, expected \(width)")
    let (n, f, g) = (input.rows, width, groups)
    let size = f / g
    let inverseSize = 1 / Float(size)
    let eps = epsilon
    normalized.reshape(rows: n, cols: f)
    output.reshape(rows: n, cols: f)
    if inverseStd.count != n * g { inverseStd = [Float](repeating: 0, count: n * g) }
    input.values.withUnsafeBufferPointer { x in
      normalized.values.withUnsafeMutableBufferPointer { xh in
        output.values.withUnsafeMutableBufferPointer { y in
          inverseStd.withUnsafeMutableBufferPointer { s in
            gamma.withUnsafeBufferPointer { ga in
              beta.withUnsafeBufferPointer { be in
                for r in 0..<n {
                  for k in 0..<g {
                    let start = r * f + k * size
                    var sum: Float = 0
                    for i in 0..<size { sum += x[start + i] }
                    let mu = sum * inverseSize
                    var squares: Float = 0
                    for i in 0..<size {
                      let d = x[start + i] - mu
                      squares += d * d
                    }
                    let inv = 1 / (squares * inverseSize + eps).squareRoot()
                    s[r * g + k] = inv
                    for i in 0..<size {
                      let h = (x[start + i] - mu) * inv
                      xh[start + i] = h
                      let c = k * size + i
                      y[start + i] = ga[c] * h + be[c]
                    }
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
                 "GroupNorm.backward: gradient shape does not match the last forward")
    let (n, f, g) = (gradOutput.rows, width, groups)
    let size = f / g
    let inverseSize = 1 / Float(size)
    if parameterGradients {
      gradOutput.addColumnSums(to: &gradBeta)
      gradOutput.values.withUnsafeBufferPointer { dy in
        normalized.values.withUnsafeBufferPointer { xh in
          gradGamma.withUnsafeMutableBufferPointer { gg in
            for r in 0..<n {
              let base = r * f
              for c in 0..<f { gg[c] += dy[base + c] * xh[base + c] }
            }
          }
        }
      }
    }
    gradInput.reshape(rows: n, cols: f)
    gradOutput.values.withUnsafeBufferPointer { dy in
      normalized.values.withUnsafeBufferPointer { xh in
        gradInput.values.withUnsafeMutableBufferPointer { dx in
          inverseStd.withUnsafeBufferPointer { s in
            gamma.withUnsafeBufferPointer { ga in
              for r in 0..<n {
                for k in 0..<g {
                  let start = r * f + k * size
                  var meanG: Float = 0
                  var meanGXhat: Float = 0
                  for i in 0..<size {
                    let gi = dy[start + i] * ga[k * size + i]
                    meanG += gi
                    meanGXhat += gi * xh[start + i]
                  }
                  meanG *= inverseSize
                  meanGXhat *= inverseSize
                  let inv = s[r * g + k]
                  for i in 0..<size {
                    let gi = dy[start + i] * ga[k * size + i]
                    dx[start + i] = inv * (gi - meanG - xh[start + i] * meanGXhat)
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
