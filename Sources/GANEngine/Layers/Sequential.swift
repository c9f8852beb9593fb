/// A stack of layers applied in order, with a backward pass through all of them.
///
/// ```swift
/// var d = Sequential([Dense(...), BatchNorm(width: 64), LeakyReLU(width: 64, slope: 0.01), ...])
/// let logits = d.forward(x, mode: .training)     // BN moving statistics update here
/// let dx = d.backward(dLogits)                    // accumulates parameter gradients
/// ```
struct Sequential: Sendable {
  /// The layers, first to last.
  var layers: [any Layer]
  /// The input of each layer in the most recent forward pass (index i = input of layer i).
  private(set) var layerInputs: [Matrix] = []

  init(_ layers: [any Layer]) {
    precondition(!layers.isEmpty, "Sequential: no layers")
    for i in 1..<layers.count {
      precondition(layers[i - 1].outputWidth == layers[i].inputWidth,
                   "Sequential: layer \(i - 1) outputs \(layers[i - 1].outputWidth), layer \(i) expects \(layers[i].inputWidth)")
    }
    self.layers = layers
  }

  /// Runs every layer in `mode` and remembers the inputs for ``backward(_:parameterGradients:)``.
  mutating func forward(_ input: Matrix, mode: Mode) -> Matrix {
    // Drop the previous pass' references first, so layers can reuse their buffers.
    layerInputs.removeAll(keepingCapacity: true)
    var current = input
    for i in layers.indices {
      layerInputs.append(current)
      current = layers[i].forward(current, mode: mode)
    }
    return current
  }

  /// Back-propagates dL/d(output) of the most recent forward pass; returns dL/d(input).
  /// With `parameterGradients`, adds the parameter gradients to the accumulated ones.
  mutating func backward(_ gradOutput: Matrix, parameterGradients: Bool = true) -> Matrix {
    precondition(layerInputs.count == layers.count, "Sequential.backward: no forward pass to go back through")
    var grad = gradOutput
    for i in layers.indices.reversed() {
      grad = layers[i].backward(grad, input: layerInputs[i], parameterGradients: parameterGradients)
    }
    return grad
  }

  /// Sets all accumulated parameter gradients to zero.
  mutating func zeroGradients() {
    for i in layers.indices { layers[i].zeroGradients() }
  }

  /// Visits every trainable tensor with its gradient, layer by layer, in a fixed order.
  mutating func visitParameters(_ body: (inout [Float], [Float]) -> Void) {
    for i in layers.indices { layers[i].visitParameters(body) }
  }

  /// Index of the first ``BatchNorm`` layer, if any.
  var firstBatchNormIndex: Int? {
    layers.firstIndex { $0 is BatchNorm }
  }

  /// The layer at `index` as a ``BatchNorm`` (nil if it is another kind).
  func batchNorm(at index: Int) -> BatchNorm? {
    layers[index] as? BatchNorm
  }
}
