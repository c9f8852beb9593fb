/// A dense float32 matrix stored row-major: element (r, c) lives at `r * cols + c`.
///
/// Layers take and return matrices whose rows are the samples of a batch and whose
/// columns are the features.
///
/// ```swift
/// let x = Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6])
/// x[1, 2]  // 6
/// ```
struct Matrix: Hashable, Sendable {
  /// Number of rows (batch size).
  private(set) var rows: Int
  /// Number of columns (features).
  private(set) var cols: Int
  /// The elements, row-major; always exactly `rows * cols` of them.
  var values: [Float]

  /// A matrix filled with one value.
  init(rows: Int, cols: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && cols >= 0, "Matrix: negative shape \(rows)×\(cols)")
    self.rows = rows
    self.cols = cols
    self.values = [Float](repeating: value, count: rows * cols)
  }

  /// A matrix from row-major values.
  init(rows: Int, cols: Int, values: [Float]) {
    precondition(rows >= 0 && cols >= 0, "Matrix: negative shape \(rows)×\(cols)")
    precondition(
      values.count == rows * cols,
      "Matrix: \(values.count) values for a \(rows)×\(cols) matrix")
    self.rows = rows
    self.cols = cols
    self.values = values
  }

  /// The element in row `row`, column `col`.
  subscript(row: Int, col: Int) -> Float {
    get {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix: index out of range")
      return values[row * cols + col]
    }
    set {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix: index out of range")
      values[row * cols + col] = newValue
    }
  }

  /// Changes the shape, reusing the storage's capacity; the contents are unspecified
  /// afterwards (callers overwrite them). Used for the layers' reusable buffers.
  mutating func reshape(rows newRows: Int, cols newCols: Int) {
    let newCount = newRows * newCols
    if values.count > newCount {
      values.removeLast(values.count - newCount)
    } else if values.count < newCount {
      values.append(contentsOf: repeatElement(0, count: newCount - values.count))
    }
    rows = newRows
    cols = newCols
  }

  /// Rows `range` of this matrix as a new matrix.
  func rows(_ range: Range<Int>) -> Matrix {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Matrix: row range out of bounds")
    return Matrix(
      rows: range.count, cols: cols,
      values: Array(values[(range.lowerBound * cols)..<(range.upperBound * cols)]))
  }

  /// The rows of `top` followed by the rows of `bottom` (same column count).
  static func stacked(_ top: Matrix, _ bottom: Matrix) -> Matrix {
    precondition(top.cols == bottom.cols, "Matrix.stacked: \(top.cols) vs \(bottom.cols) columns")
    var result = Matrix(rows: 0, cols: top.cols)
    result.rows = top.rows + bottom.rows
    result.values.reserveCapacity(top.values.count + bottom.values.count)
    result.values.append(contentsOf: top.values)
    result.values.append(contentsOf: bottom.values)
    return result
  }

  /// Whether every element is finite.
  var isFinite: Bool {
    values.withUnsafeBufferPointer { p in
      var all = true
      for v in p where !v.isFinite { all = false; break }
      return all
    }
  }
}
