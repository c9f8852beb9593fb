/// A weight-normalized fully connected layer (Salimans & Kingma, 2016):
/// y = x·W + b with W = g · v/‖v‖, the norm taken per output unit (column of v).
///
/// v starts as a Glorot-uniform kernel and g as the column norms of v, so W starts
/// equal to that kernel; b = 0. The trainable tensors are v, g and b.
struct WeightNormDense: Layer {
  /// The direction parameter v, inputs × outputs.
  var direction: Matrix
  /// The scale g, one per output.
  var scale: [Float]
  /// The bias, one per output.
  var bias: [Float]
  /// Accumulated dL/dv.
  private(set) var gradDirection: Matrix
  /// Accumulated dL/dg.
  private(set) var gradScale: [Float]
  /// Accumulated dL/db.
  private(set) var gradBias: [Float]

  /// The effective kernel W of the last forward pass.
  private(set) var weight: Matrix
  private var norms: [Float]
  private var scratchGradWeight = Matrix(rows: 0, cols: 0)
  private var output = Matrix(rows: 0, cols: 0)
  private var gradInput = Matrix(rows: 0, cols: 0)

  var inputWidth: Int { direction.rows }
  var outputWidth: Int { direction.cols }

  /// A layer with v drawn Glorot-uniform from `rng`, g = ‖v‖ per column, b = 0.
  init(inputs: Int, outputs: Int, rng: inout RandomStream) {
    let v = Glorot.uniform(rows: inputs, cols: outputs, rng: &rng)
    self.init(direction: v, scale: Self.columnNorms(v), bias: [Float](repeating: 0, count: outputs))
  }

  /// A layer with the given v (inputs × outputs), g and b.
  init(direction: Matrix, scale: [Float], bias: [Float]) {
    precondition(scale.count == direction.cols && bias.count == direction.cols,
                 "WeightNormDense: g and b need one entry per output")
    self.direction = direction
    self.scale = scale
    self.bias = bias
    gradDirection = Matrix(rows: direction.rows, cols: direction.cols)
    gradScale = [Float](repeating: 0, count: direction.cols)
    gradBias = [Float](repeating: 0, count: direction.cols)
    weight = direction
    norms = [Float](repeating: 0, count: direction.cols)
  }

  /// The Euclidean norm of each column (rows summed top to bottom).
  static func columnNorms(_ v: Matrix) -> [Float] {
    var squares = [Float](repeating: 0, count: v.cols)
    for r in 0..<v.rows {
      for c in 0..<v.cols {
        let x = v.values[r * v.cols + c]
        squares[c] += x * x
      }
    }
    return squares.map { $0.squareRoot() }
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    precondition(input.cols == direction.rows,
                 "WeightNormDense: input has \(input.cols) features, expected \(direction.rows)")
    norms = Self.columnNorms(direction)
    let (k, f) = (direction.rows, direction.cols)
    for r in 0..<k {
      for c in 0..<f {
        weight.values[r * f + c] = direction.values[r * f + c] * (scale[c] / norms[c])
      }
    }
    Matrix.multiply(input, weight, into: &output)
    output.addRowVector(bias)
    return output
  }

  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    precondition(gradOutput.cols == direction.cols && gradOutput.rows == input.rows,
                 "WeightNormDense.backward: gradient shape does not match")
    if parameterGradients {
      let (k, f) = (direction.rows, direction.cols)
      Matrix.multiply(input, transposeA: true, gradOutput, into: &scratchGradWeight)
      gradOutput.addColumnSums(to: &gradBias)
      // dL/dg_j = Σ_i dW_ij·v_ij/‖v_j‖;  dL/dv = (g/‖v‖)·dW − (g·dL/dg/‖v‖²)·v.
      var dScale = [Float](repeating: 0, count: f)
      for r in 0..<k {
        for c in 0..<f {
          dScale[c] += scratchGradWeight.values[r * f + c] * direction.values[r * f + c]
        }
      }
      for c in 0..<f { dScale[c] /= norms[c] }
      for r in 0..<k {
        for c in 0..<f {
          let i = r * f + c
          gradDirection.values[i] +=
            (scale[c] / norms[c]) * scratchGradWeight.values[i]
            - (scale[c] * dScale[c] / (norms[c] * norms[c])) * direction.values[i]
        }
      }
      for c in 0..<f { gradScale[c] += dScale[c] }
    }
    Matrix.multiply(gradOutput, weight, transposeB: true, into: &gradInput)
    return gradInput
  }

  mutating func zeroGradients() {
    gradDirection.scale(by: 0)
    for c in gradScale.indices {
      gradScale[c] = 0
      gradBias[c] = 0
    }
  }

  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {
    body(&direction.values, gradDirection.values)
    body(&scale, gradScale)
    body(&bias, gradBias)
  }
}
