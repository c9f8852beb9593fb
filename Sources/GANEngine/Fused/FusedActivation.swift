/// The kernel of a hidden block without normalization: LeakyReLU alone.
///
/// Its backward pass needs only where the pre-activation was positive, so the forward
/// pass keeps that as one byte per element (``positive``) and the backward pass reads
/// a quarter of the bytes of a row of pre-activations, which by then has left the
/// caches. When the linear map hands its rows on as it finishes them
/// (``HiddenBlock/forward(_:rows:mode:segments:linearReady:)``), it writes them into
/// the block's output buffer, where they are activated in place: ``HiddenBlock/pre``
/// is then not written at all.
final class FusedActivation: FusedNormalization {
  var tensors: [ParameterTensor] { [] }

  /// Per element (row-major, capacity × width), whether the pre-activation of the last
  /// forward pass was positive: all ones (−1) if so, 0 if not, so that a vector of them
  /// sign-extends into a lane mask.
  let positive: UnsafeMutablePointer<Int8>
  /// Whether ``positive`` is on huge pages (see ``HugePages/allocate(_:count:)``).
  private let onHugePages: Bool

  init(_ spec: HiddenLayerSpec, capacity: Int) {
    let count = max(capacity * spec.width, 1)
    (positive, onHugePages) = HugePages.allocate(Int8.self, count: count)
    positive.initialize(repeating: 0, count: count)
  }

  deinit { HugePages.release(positive, onHugePages: onHugePages) }

  /// out = LeakyReLU(pre) (adding the pending bias to `pre` first).
  func forward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>], biasPending: Bool) {
    activate(block, 0..<rows, from: block.pre.base, biasPending: biasPending)
  }

  func beginForward(_ block: HiddenBlock, rows: Int, mode: Mode, segments: [Range<Int>]) -> Bool { true }

  /// The linear map goes straight into the output buffer.
  func linearTarget(_ block: HiddenBlock) -> UnsafeMutablePointer<Float> { block.out.base }

  /// out = LeakyReLU(out + pending bias) in place, for the rows `rows`.
  func forwardRows(_ block: HiddenBlock, _ rows: Range<Int>, biasPending: Bool) {
    activate(block, rows, from: block.out.base, biasPending: biasPending)
  }

  /// out = LeakyReLU(x) for x = the rows `rows` of `source` (plus the bias when it is
  /// pending, written back to `source` unless that is the output), keeping where x > 0
  /// in ``positive``.
  private func activate(
    _ block: HiddenBlock, _ rows: Range<Int>, from source: UnsafeMutablePointer<Float>, biasPending: Bool
  ) {
    let f = block.width
    let a = block.slope
    let b = block.bias.value.base
    var h = source + rows.lowerBound &* f
    var y = block.out.base + rows.lowerBound &* f
    var mask = positive + rows.lowerBound &* f
    let f8 = f - f % 8
    // In place (source is the output), x + bias need not be kept.
    let keepsSum = biasPending && source != block.out.base
    // A local: a static read inside the loop would check its lazy initialization each time.
    let allOnes = Self.allOnes
    for _ in rows {
      var c = 0
      while c < f8 {
        var v = h.load8(c)
        if biasPending { v += b.load8(c) }
        if keepsSum { h.store8(v, c) }
        // All ones where v > 0 (NaN: zero), as a float select gives it: an integer
        // mask from a comparison would be built lane by lane.
        let up = unsafeBitCast(Lanes().replacing(with: allOnes, where: v .> 0), to: SIMD8<Int32>.self)
        y.store8(Self.select(up, v, a * v), c)
        UnsafeMutableRawPointer(mask + c).storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: up), as: SIMD8<Int8>.self)
        c &+= 8
      }
      while c < f {
        var v = h[c]
        if biasPending { v += b[c] }
        if keepsSum { h[c] = v }
        y[c] = v > 0 ? v : a * v
        mask[c] = v > 0 ? -1 : 0
        c &+= 1
      }
      h += f
      y += f
      mask += f
    }
  }

  /// A float whose bits are all ones.
  private static let allOnes = Float(bitPattern: ~0)

  /// `x` where `mask` is all ones, `y` where it is zero, lane by lane, as bit operations.
  @inline(__always)
  private static func select(_ mask: SIMD8<Int32>, _ x: Lanes, _ y: Lanes) -> Lanes {
    let xb = unsafeBitCast(x, to: SIMD8<Int32>.self)
    let yb = unsafeBitCast(y, to: SIMD8<Int32>.self)
    return unsafeBitCast((xb & mask) | (yb & ~mask), to: Lanes.self)
  }

  /// dL/d(pre) = LeakyReLU'(pre)·dy.
  func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, rows: Int, input: UnsafePointer<Float>,
    parameterGradients: Bool
  ) {
    backward(block, upstream, 0..<rows, input: input, parameterGradients: parameterGradients)
  }

  func beginBackward(_ block: HiddenBlock, rows: Int, parameterGradients: Bool) -> Bool { true }

  /// dL/d(pre) = LeakyReLU'(pre)·dy for the rows `rows`, dy being there in `gradPre`.
  func backwardRows(_ block: HiddenBlock, _ rows: Range<Int>, input: UnsafePointer<Float>, parameterGradients: Bool) {
    backward(
      block, .dense(UnsafePointer(block.gradPre.base)), rows, input: input, parameterGradients: parameterGradients)
  }

  private func backward(
    _ block: HiddenBlock, _ upstream: HiddenBlock.Upstream, _ rows: Range<Int>, input: UnsafePointer<Float>,
    parameterGradients: Bool
  ) {
    let f = block.width
    let a = block.slope
    var dh = block.gradPre.base + rows.lowerBound &* f
    var mask = UnsafePointer(positive) + rows.lowerBound &* f
    let f8 = f - f % 8
    for r in rows {
      let dy = block.upstreamRow(upstream, r)
      var c = 0
      while c < f8 {
        let d = dy.load8(c)
        let up = SIMD8<Int32>(truncatingIfNeeded: UnsafeRawPointer(mask + c).loadUnaligned(as: SIMD8<Int8>.self))
        dh.store8(Self.select(up, d, a * d), c)
        c &+= 8
      }
      while c < f {
        dh[c] = mask[c] != 0 ? dy[c] : a * dy[c]
        c &+= 1
      }
      if parameterGradients { block.accumulateRow(dh, r, input) }
      dh += f
      mask += f
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
