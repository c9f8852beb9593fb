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
    let f8 = f - f % 8
    if biasPending {
      for _ in 0..<rows {
        var c = 0
        while c < f8 {
          let v = h.load8(c) + b.load8(c)
          h.store8(v, c)
          y.store8((a * v).replacing(with: v, where: v .> 0), c)
          c &+= 8
        }
        while c < f {
          let v = h[c] + b[c]
          h[c] = v
          y[c] = v > 0 ? v : a * v
          c &+= 1
        }
        h += f
        y += f
      }
    } else {
      for _ in 0..<rows {
        var c = 0
        while c < f8 {
          let v = h.load8(c)
          y.store8((a * v).replacing(with: v, where: v .> 0), c)
          c &+= 8
        }
        while c < f {
          let v = h[c]
          y[c] = v > 0 ? v : a * v
          c &+= 1
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
    let f8 = f - f % 8
    for r in 0..<rows {
      let dy = block.upstreamRow(upstream, r)
      var c = 0
      while c < f8 {
        let d = dy.load8(c)
        dh.store8((a * d).replacing(with: d, where: h.load8(c) .> 0), c)
        c &+= 8
      }
      while c < f {
        dh[c] = h[c] > 0 ? dy[c] : a * dy[c]
        c &+= 1
      }
      if parameterGradients { block.accumulateRow(dh, r, input) }
      dh += f
      h += f
    }
  }

  func layer() -> (any Layer)? { nil }
}

// The row loops' lane loads and stores, kept in this file: a debug build compiles files
// one by one and would not inline a helper from another file into these loops.
extension UnsafeMutablePointer where Pointee == Float {
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes { UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self) }

  @inline(__always)
  fileprivate func store8(_ value: Lanes, _ offset: Int) {
    UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Lanes.self)
  }
}

extension UnsafePointer where Pointee == Float {
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes { UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self) }
}
