/// y = x for x > 0, α·x otherwise (Keras' `LeakyReLU(negative_slope: α)`).
/// The derivative at 0 is taken as α, like TensorFlow's.
struct LeakyReLU: Layer {
  /// Slope for negative inputs.
  let slope: Float
  /// Number of features (input = output).
  let width: Int

  private var output = Matrix(rows: 0, cols: 0)
  private var gradInput = Matrix(rows: 0, cols: 0)

  var inputWidth: Int { width }
  var outputWidth: Int { width }

  init(width: Int, slope: Float) {
    self.width = width
    self.slope = slope
  }

  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    precondition(input.cols == width, "LeakyReLU: input has \(input.cols) features, expected \(width)")
    output.reshape(rows: input.rows, cols: input.cols)
    let a = slope
    input.values.withUnsafeBufferPointer { x in
      output.values.withUnsafeMutableBufferPointer { y in
        for i in x.indices { y[i] = x[i] > 0 ? x[i] : a * x[i] }
      }
    }
    return output
  }

  mutating func backward(_ gradOutput: Matrix, input: Matrix, parameterGradients: Bool) -> Matrix {
    precondition(gradOutput.rows == input.rows && gradOutput.cols == input.cols,
                 "LeakyReLU.backward: shape mismatch")
    gradInput.reshape(rows: input.rows, cols: input.cols)
    let a = slope
    input.values.withUnsafeBufferPointer { x in
      gradOutput.values.withUnsafeBufferPointer { dy in
        gradInput.values.withUnsafeMutableBufferPointer { dx in
          for i in x.indices { dx[i] = x[i] > 0 ? dy[i] : a * dy[i] }
        }
      }
    }
    return gradInput
  }

  mutating func zeroGradients() {}
  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {}
}
