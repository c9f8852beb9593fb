/// The kernel of a hidden block without normalization: LeakyReLU alone.
///
/// Its backward pass needs only where the pre-activation was positive, so the forward
/// pass keeps that as one bit per element (``positive``) and the backward pass reads
/// (width + 7) / 8 bytes per row instead of a row of pre-activations, which by then
/// has left the caches. When the linear map hands its rows on as it finishes them
/// (``HiddenBlock/forward(_:rows:mode:segments:linearReady:)``), it writes them into
/// the block's output buffer, where they are activated in place: ``HiddenBlock/pre``
/// is then not written at all.
final class FusedActivation: FusedNormalization {
  var tensors: [ParameterTensor] { [] }

  /// Bytes of ``positive`` per row.
  let bytesPerRow: Int
  /// Bit `c % 8` of byte `r·bytesPerRow + c / 8`: whether the pre-activation (r, c)
  /// of the last forward pass was positive.
  let positive: UnsafeMutablePointer<UInt8>

  init(_ spec: HiddenLayerSpec, capacity: Int) {
    bytesPerRow = (spec.width + 7) / 8
    positive = .allocate(capacity: capacity * bytesPerRow)
    positive.initialize(repeating: 0, count: capacity * bytesPerRow)
  }

  deinit { positive.deallocate() }

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
  /// pending, written back to `source`), keeping where x > 0 in ``positive``.
  private func activate(
    _ block: HiddenBlock, _ rows: Range<Int>, from source: UnsafeMutablePointer<Float>, biasPending: Bool
  ) {
    let f = block.width
    let a = block.slope
    let b = block.bias.value.base
    var h = source + rows.lowerBound &* f
    var y = block.out.base + rows.lowerBound &* f
    var bits = positive + rows.lowerBound &* bytesPerRow
    let f8 = f - f % 8
    // Locals: a static read inside the loop would check its lazy initialization each time.
    let (bitValues, allOnes) = (Self.bitValues, Self.allOnes)
    for _ in rows {
      var c = 0
      while c < f8 {
        var v = h.load8(c)
        if biasPending {
          v += b.load8(c)
          h.store8(v, c)
        }
        // All ones where v > 0 (NaN: zero), as a float select gives it: an integer
        // mask from a comparison would be built lane by lane.
        let up = unsafeBitCast(Lanes().replacing(with: allOnes, where: v .> 0), to: SIMD8<Int32>.self)
        y.store8(Self.select(up, v, a * v), c)
        bits[c &>> 3] = UInt8(truncatingIfNeeded: (up & bitValues).wrappedSum())
        c &+= 8
      }
      if c < f {
        var byte: UInt8 = 0
        while c < f {
          var v = h[c]
          if biasPending {
            v += b[c]
            h[c] = v
          }
          y[c] = v > 0 ? v : a * v
          if v > 0 { byte |= 1 &<< UInt8(c & 7) }
          c &+= 1
        }
        bits[f8 &>> 3] = byte
      }
      h += f
      y += f
      bits += bytesPerRow
    }
  }

  /// Lane i: bit i.
  private static let bitValues = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
  /// Lane i: the shift that takes bit i to bit 31.
  private static let toSign = SIMD8<Int32>(31, 30, 29, 28, 27, 26, 25, 24)
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
    var bits = UnsafePointer(positive) + rows.lowerBound &* bytesPerRow
    let f8 = f - f % 8
    let toSign = Self.toSign
    for r in rows {
      let dy = block.upstreamRow(upstream, r)
      var c = 0
      while c < f8 {
        let d = dy.load8(c)
        // Bit i of the byte moved to lane i's sign, then spread over the lane.
        let up = (SIMD8<Int32>(repeating: Int32(bits[c &>> 3])) &<< toSign) &>> 31
        dh.store8(Self.select(up, d, a * d), c)
        c &+= 8
      }
      while c < f {
        dh[c] = bits[c &>> 3] & (1 &<< UInt8(c & 7)) != 0 ? dy[c] : a * dy[c]
        c &+= 1
      }
      if parameterGradients { block.accumulateRow(dh, r, input) }
      dh += f
      bits += bytesPerRow
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
