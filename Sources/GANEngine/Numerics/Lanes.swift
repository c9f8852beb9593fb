/// Eight floats processed as one vector: the unit of the hidden blocks' row loops
/// where the compiler cannot vectorize on its own (reductions along a row, whose
/// order it must not change) or would guard every row with aliasing checks.
///
/// Reductions over lanes use ``SIMD8/fixedSum``, a fixed tree, so results do not
/// depend on the vector width the code is compiled for.
typealias Lanes = SIMD8<Float>

extension UnsafePointer where Pointee == Float {
  /// The eight floats at `offset` (no alignment needed).
  @inline(__always)
  func lanes(_ offset: Int) -> Lanes {
    UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self)
  }
}

extension UnsafeMutablePointer where Pointee == Float {
  /// The eight floats at `offset` (no alignment needed).
  @inline(__always)
  func lanes(_ offset: Int) -> Lanes {
    UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self)
  }

  /// Writes eight floats at `offset` (no alignment needed).
  @inline(__always)
  func setLanes(_ value: Lanes, _ offset: Int) {
    UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Lanes.self)
  }
}

extension SIMD8 where Scalar == Float {
  /// The sum of the lanes in one fixed order: ((0+4) + (2+6)) + ((1+5) + (3+7)).
  @inline(__always)
  var fixedSum: Float {
    let half = lowHalf + highHalf
    let quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
  }

  /// LeakyReLU lane by lane: `v > 0 ? v : slope·v` (NaN stays NaN).
  @inline(__always)
  func leakyReLU(slope: Float) -> Self {
    (slope * self).replacing(with: self, where: self .> 0)
  }

  /// `upstream` where `self > 0`, `slope·upstream` elsewhere: LeakyReLU's backward
  /// step at pre-activations `self`.
  @inline(__always)
  func leakyReLUGradient(_ upstream: Self, slope: Float) -> Self {
    (slope * upstream).replacing(with: upstream, where: self .> 0)
  }
}
