/// A fully connected layer: y = x·W + b, with W of shape inputs × outputs.
///
/// Initialized like Keras' `Dense`: W ~ Glorot uniform, i.e. Uniform(−L, L) with
/// L = sqrt(6 / (inputs + outputs)), drawn row by row; b = 0.
struct Dense: Layer {
  /// The kernel, inputs × outputs.
  var weight: Matrix
  /// The bias, one per output.
  var bias: [Float]
  /// Accumulated dL/dW.
  private(set) var gradWeight: Matrix
  /// Accumulated dL/db.
  private(set) var gradBias: [Float]

  private var output = Matrix(rows: 0, cols: 0)
  private var gradInput = Matrix(rows: 0, cols: 0)

  var inputWidth: Int { weight.rows }
  var outputWidth: Int { weight.cols }

  /// A layer with a Glorot-uniform kernel drawn from `rng` and a zero bias.
  init(inputs: Int, outputs: Int, rng: inout RandomStream) {
    self.init(weight: Glorot.uniform(rows: inputs, cols: outputs, rng: &rng),
              bias: [Float](repeating: 0, count: outputs))
  }

  /// A layer with the given kernel (inputs × outputs) and bias.
  init(weight: Matrix, bias: [Float]) {
    precondition(bias.count == weight.cols, "Dense: bias has \(bias.count) entries, kernel \(weight.cols) columns")
    self.weight = weight
    self.bias = bias
    self.gradWeight = Matrix(rows: weight.rows, cols: weight.cols)
    self.gradBias = [Float](repeating: 0, count: bias.count)
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    precondition(input.cols == weight.rows, "Dense: input has \(input.cols) features, expected \(weight.rows)")
    Matrix.multiply(input, weight, into: &output)
    output.addRowVector(bias)
    return output
  }

  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    precondition(gradOutput.cols == weight.cols && gradOutput.rows == input.rows,
                 "Dense.backward: gradient shape \(gradOutput.rows)×\(gradOutput.cols) does not match")
    if parameterGradients {
      Matrix.multiply(input, transposeA: true, gradOutput, accumulate: true, into: &gradWeight)
      gradOutput.addColumnSums(to: &gradBias)
    }
    Matrix.multiply(gradOutput, weight, transposeB: true, into: &gradInput)
    return gradInput
  }

  mutating func zeroGradients() {
    gradWeight.scale(by: 0)
    for i in gradBias.indices { gradBias[i] = 0 }
  }

  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {
    body(&weight.values, gradWeight.values)
    body(&bias, gradBias)
  }
}

/// Glorot (Xavier) uniform initialization, Keras' default kernel initializer.
enum Glorot {
  /// A rows × cols matrix with entries ~ Uniform(−L, L), L = sqrt(6 / (rows + cols)),
  /// drawn in row-major order.
  static func uniform(rows: Int, cols: Int, rng: inout RandomStream) -> Matrix {
    let limit = (6 / Float(rows + cols)).squareRoot()
    var m = Matrix(rows: rows, cols: cols)
    for i in 0..<(rows * cols) { m.values[i] = rng.nextUniform(in: -limit, limit) }
    return m
  }
}
