/// What the fused generator and discriminator share: hidden blocks, then an output
/// layer, and the step bookkeeping over both.
protocol FusedNetwork: AnyObject {
  var blocks: [HiddenBlock] { get }
  var output: OutputLayer { get }
}

extension FusedNetwork {
  /// Refreshes derived kernels after an update; call before each step.
  func prepareStep() {
    for b in blocks { b.prepareStep() }
    output.prepareStep()
  }

  /// Times every product of the network with `clock` from now on.
  func attach(_ clock: ProductClock) {
    for b in blocks { b.productClock = clock }
    output.productClock = clock
  }

  func zeroGradients() {
    for b in blocks { b.zeroGradients() }
    for t in output.tensors { t.gradient.zero() }
  }

  /// Completes the step's parameter gradients (weight normalization); call once
  /// after the last backward pass of the step.
  func finishGradients() {
    for b in blocks { b.finishGradients() }
  }

  /// The hidden blocks of `spec` and its output layer, for `capacity` rows, with the
  /// initial parameters of `parameters` (which must be used up exactly).
  static func build(_ spec: NetworkSpec, capacity: Int, parameters: InitialParameters)
    -> (blocks: [HiddenBlock], output: OutputLayer)
  {
    var parameters = parameters
    let blocks = spec.hidden.map { HiddenBlock($0, capacity: capacity, parameters: &parameters) }
    let output = OutputLayer(
      inputs: spec.hidden.last?.width ?? 2, outputs: spec.outputs, kernel: spec.kernel, capacity: capacity, parameters: &parameters)
    parameters.finish()
    return (blocks, output)
  }
}
