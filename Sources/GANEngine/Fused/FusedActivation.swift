/// The kernel of a hidden block without normalization: LeakyReLU alone.
final class FusedActivation: FusedNormalization {
  var tensors: [ParameterTensor] { [] }

  /// out = LeakyReLU(pre) (adding the pending bias to `pre` first).
  func forward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>], biasPending: Bool) {
    let f = block.width
    let a = block.slope
    let b = block.bias.value.base
    var h = block.pre.base
    var y = block.out.base
    if biasPending {
      for _ in 0..<rows {
        for c in 0..<f {
          let v = h[c] + b[c]
          h[c] = v
          y[c] = v > 0 ? v : a * v
        }
        h += f
        y += f
      }
    } else {
      for _ in 0..<rows {
        for c in 0..<f {
          let v = h[c]
          y[c] = v > 0 ? v : a * v
        }
        h += f
        y += f
      }
    }
  }

  /// dL/d(pre) = LeakyReLU'(pre)·dy.
  func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, rows: Int, input: UnsafePointer<Float>,
    parameterGradients: Bool
  ) {
    let f = block.width
    let a = block.slope
    var dh = block.gradPre.base
    var h = UnsafePointer(block.pre.base)
    for r in 0..<rows {
      let dy = block.upstreamRow(upstream, r)
      for c in 0..<f { dh[c] = h[c] > 0 ? dy[c] : a * dy[c] }
      if parameterGradients { block.accumulateRow(dh, r, input) }
      dh += f
      h += f
    }
  }

  func layer() -> (any Layer)? { nil }
}
