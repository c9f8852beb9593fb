/// The step bookkeeping of a ``HiddenBlock``'s kernel: for weight normalization
/// (W = g·v/‖v‖ per output column) the effective kernel before the step and the
/// gradients of v and g after it; for a plain kernel, nothing.
extension HiddenBlock {
  /// Computes the effective kernel of weight normalization (after each update).
  func prepareStep() {
    guard weightNormed, let scale else { return }
    let (k, f) = (inputs, width)
    let v = kernel.value.base
    let n = norms.base
    for c in 0..<f { n[c] = 0 }
    var row = v
    for _ in 0..<k {
      for c in 0..<f { n[c] += row[c] * row[c] }
      row += f
    }
    for c in 0..<f { n[c] = n[c].squareRoot() }
    let g = scale.value.base
    let w = weight.base
    for r in 0..<k {
      for c in 0..<f { w[r &* f &+ c] = v[r &* f &+ c] * (g[c] / n[c]) }
    }
  }

  /// Turns the step's accumulated dL/dW into the weight-normalization gradients
  /// (dL/dg_j = Σ_i dW_ij·v_ij/‖v_j‖; dL/dv = (g/‖v‖)·dW − (g·dL/dg/‖v‖²)·v), which
  /// are linear in dW. No-op for a plain kernel.
  func finishGradients() {
    guard weightNormed, let scale else { return }
    let (k, f) = (inputs, width)
    let dw = gradWeight.base
    let v = kernel.value.base
    let n = norms.base
    let g = scale.value.base
    let ds = columnScratch.base
    for c in 0..<f { ds[c] = 0 }
    for r in 0..<k {
      for c in 0..<f { ds[c] += dw[r &* f &+ c] * v[r &* f &+ c] }
    }
    for c in 0..<f { ds[c] /= n[c] }
    let dv = kernel.gradient.base
    for r in 0..<k {
      for c in 0..<f {
        let i = r &* f &+ c
        dv[i] += (g[c] / n[c]) * dw[i] - (g[c] * ds[c] / (n[c] * n[c])) * v[i]
      }
    }
    let dg = scale.gradient.base
    for c in 0..<f { dg[c] += ds[c] }
  }
}
