/// The engine's own exponential, logarithms, sine, cosine and integer powers.
///
/// A run's bits must not depend on the C library: glibc's `expf`, `log1pf`, `sin`, `cos`
/// and `powf` differ between versions, and pick a variant of themselves by CPU at load
/// time. Every function here is built from the operations IEEE 754 defines exactly (add,
/// multiply, divide, square root, fused multiply-add) and bit operations in a fixed
/// order, so its result is the same bits on every machine and in every vector width.
///
/// Each one reduces its argument exactly (or with a documented error far below the
/// result's precision) and evaluates a truncated Taylor or `atanh` series whose
/// remainder is below a hundredth of an ulp of the result; `ElementaryTests` measures
/// the error against the Double functions of the platform.
///
/// ```swift
/// let e = Elementary.exp(Lanes(-3, -2, -1, 0, -0.5, -10, -90, -1e-3))
/// let softplus = Elementary.log1p(e)        // log(1 + exp(x)) for x ≤ 0
/// let (c, s) = Elementary.cosSinOfTurn(0.125)  // cos and sin of 2π·0.125
/// ```
enum Elementary {
  // MARK: Float, eight lanes

  /// e^x for every lane with x ≤ 0 (and NaN for NaN); lanes below −87.336, where e^x
  /// is no longer a normal float, give 0. At most 1 ulp from the exact value
  /// (`ElementaryTests`).
  ///
  /// x = k·ln 2 + r with k = round(x·log₂e) and |r| ≤ ln 2 / 2; e^r is a Taylor
  /// polynomial of degree 7 (remainder below 5·10⁻⁹ relative) and 2^k is placed in the
  /// exponent field.
  static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    // The log of the smallest normal float, 2^-126. (Lane masks from float comparisons
    // are built lane by lane in some inlining contexts; the functions below select
    // with integer bit operations where they can.)
    let smallest = SIMD8<Float>(repeating: -87.336_54)
    let clamped = x.replacing(with: smallest, where: x .< smallest)
    // Adding 1.5·2^23 rounds x·log₂e to the nearest integer k (ties to even) and leaves
    // k in the low bits of the sum.
    let shifter = SIMD8<Float>(repeating: 12_582_912)
    let shifted = (clamped * SIMD8(repeating: 1.442_695_04)) + shifter
    let k = shifted - shifter
    // ln 2 in two parts; the first has 16 significant bits, so k·ln2High is exact.
    var r = clamped.addingProduct(k, SIMD8(repeating: -0.693_145_751_953_125))
    r = r.addingProduct(k, SIMD8(repeating: -1.428_606_8e-06))
    var p = SIMD8<Float>(repeating: 1.0 / 5040)
    p = SIMD8(repeating: 1.0 / 720).addingProduct(p, r)
    p = SIMD8(repeating: 1.0 / 120).addingProduct(p, r)
    p = SIMD8(repeating: 1.0 / 24).addingProduct(p, r)
    p = SIMD8(repeating: 1.0 / 6).addingProduct(p, r)
    p = SIMD8(repeating: 0.5).addingProduct(p, r)
    p = SIMD8(repeating: 1).addingProduct(p, r)
    p = SIMD8(repeating: 1).addingProduct(p, r)
    // k ∈ [−126, 0]: 2^k is the float whose biased exponent is k + 127.
    let kBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- SIMD8(repeating: 0x4B40_0000)
    let scale = unsafeBitCast((kBits &+ SIMD8(repeating: 127)) &<< SIMD8(repeating: 23), to: SIMD8<Float>.self)
    return (p * scale).replacing(with: SIMD8(repeating: 0), where: x .< smallest)
  }

  /// log(1 + x) for every lane with 0 ≤ x ≤ 1: within 1.25 ulp of the exact value.
  ///
  /// u = 1 + x is rounded; the rounding error x − (u − 1) is exact and enters as its
  /// first-order term (x − (u − 1))/u. Then u = 2^e·m with m ∈ [√½, √2), and
  /// log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, as a series up to s¹¹;
  /// e·ln 2 is added in two parts, the smaller first.
  static func log1p(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let one = SIMD8<Float>(repeating: 1)
    let u = one + x
    let correction = (x - (u - one)) / u
    // u − √½ in the bit patterns: its exponent field is e (0 or 1 here), and its
    // mantissa put back on √½ is m.
    let rootHalf = SIMD8<Int32>(repeating: 0x3F35_04F3)
    let shifted = unsafeBitCast(u, to: SIMD8<Int32>.self) &- rootHalf
    let m = unsafeBitCast((shifted & SIMD8(repeating: 0x007F_FFFF)) &+ rootHalf, to: SIMD8<Float>.self)
    let eMask = SIMD8<Int32>(repeating: 0) &- (shifted &>> SIMD8(repeating: 23))  // all ones when e = 1
    let f = m - one
    let s = f / (SIMD8(repeating: 2) + f)
    let z = s * s
    var q = SIMD8<Float>(repeating: 2.0 / 11)
    q = SIMD8(repeating: 2.0 / 9).addingProduct(q, z)
    q = SIMD8(repeating: 2.0 / 7).addingProduct(q, z)
    q = SIMD8(repeating: 2.0 / 5).addingProduct(q, z)
    q = SIMD8(repeating: 2.0 / 3).addingProduct(q, z)
    // log m = 2s + s·z·q = f − (f²/2 − s·(f²/2 + z·q)): f is exact, so this form
    // keeps the rounding of s out of the leading term.
    let halfSquare = (f * f) * SIMD8(repeating: 0.5)
    let logM = f - (halfSquare - s * (halfSquare + z * q))
    let low = correction + Self.select(SIMD8(repeating: 1.428_606_8e-06), eMask)
    return Self.select(SIMD8(repeating: 0.693_145_751_953_125), eMask) + (logM + low)
  }

  /// log(1 + e^−|z|) for every lane: the smooth part of the logistic loss.
  static func softplusOfNegativeMagnitude(_ z: SIMD8<Float>) -> SIMD8<Float> {
    log1p(exp(negativeMagnitude(z)))
  }

  /// The logistic function 1/(1 + e^−z) for every lane, from e^−|z| so that it never
  /// overflows: 1/(1 + e) for z ≥ +0 and e/(1 + e) for z ≤ −0 (both ½ at zero).
  static func sigmoid(_ z: SIMD8<Float>) -> SIMD8<Float> {
    let e = exp(negativeMagnitude(z))
    let denominator = SIMD8<Float>(repeating: 1) + e
    let negative = signMask(z)
    let bits = (unsafeBitCast(SIMD8<Float>(repeating: 1) / denominator, to: SIMD8<Int32>.self) & ~negative)
      | (unsafeBitCast(e / denominator, to: SIMD8<Int32>.self) & negative)
    return unsafeBitCast(bits, to: SIMD8<Float>.self)
  }

  /// max(z, +0) for every lane: negative lanes and −0 become +0.
  static func positivePart(_ z: SIMD8<Float>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(z, to: SIMD8<Int32>.self) & ~signMask(z), to: SIMD8<Float>.self)
  }

  /// All ones in the lanes whose sign bit is set (negative numbers, −0, negative NaN),
  /// zero elsewhere.
  private static func signMask(_ z: SIMD8<Float>) -> SIMD8<Int32> {
    unsafeBitCast(z, to: SIMD8<Int32>.self) &>> SIMD8(repeating: 31)
  }

  /// −|z| for every lane: z with its sign bit set.
  private static func negativeMagnitude(_ z: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(z, to: SIMD8<UInt32>.self) | SIMD8(repeating: 0x8000_0000)
    return unsafeBitCast(bits, to: SIMD8<Float>.self)
  }

  /// `value` in the lanes where `mask` is all ones, +0 where it is zero.
  private static func select(_ value: SIMD8<Float>, _ mask: SIMD8<Int32>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(value, to: SIMD8<Int32>.self) & mask, to: SIMD8<Float>.self)
  }

  /// base^n for n ≥ 0, by repeated squaring in Double, rounded once to Float. Its
  /// error before that rounding is below 2⁻⁴⁶ relative for n < 2⁶⁰, so the result is the
  /// correctly rounded power unless the exact one lies within 2⁻²³ ulp of a tie.
  static func power(_ base: Float, _ n: Int) -> Float {
    precondition(n >= 0, "Elementary.power: negative exponent \(n)")
    var result = 1.0
    var square = Double(base)
    var rest = n
    while rest > 0 {
      if rest & 1 == 1 { result *= square }
      square *= square
      rest >>= 1
    }
    return Float(result)
  }

  // MARK: Double, four lanes

  /// The natural logarithm of four positive, finite, normal doubles: within 2 ulp.
  ///
  /// x = 2^e·m with m ∈ [√½, √2), both read from the bits of x − √½ (exact); then
  /// log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, as a series up to s²⁵
  /// (remainder below 10⁻¹⁸ relative), and log x = e·ln 2 + log m with one fused
  /// multiply-add.
  static func log(_ x: SIMD4<Double>) -> SIMD4<Double> {
    let rootHalf = SIMD4<Int64>(repeating: 0x3FE6_A09E_667F_3BCD)  // √½
    let shifted = unsafeBitCast(x, to: SIMD4<Int64>.self) &- rootHalf
    let m = unsafeBitCast((shifted & SIMD4(repeating: 0x000F_FFFF_FFFF_FFFF)) &+ rootHalf, to: SIMD4<Double>.self)
    // e, a small integer, as a double: placed in the low bits of 1.5·2⁵² and taken out.
    let magic = SIMD4<Double>(repeating: 6_755_399_441_055_744)
    let eBits = (shifted &>> SIMD4(repeating: 52)) &+ unsafeBitCast(magic, to: SIMD4<Int64>.self)
    let e = unsafeBitCast(eBits, to: SIMD4<Double>.self) - magic
    let f = m - SIMD4(repeating: 1)
    let s = f / (SIMD4(repeating: 2) + f)
    let z = s * s
    // Q(z) = 2/3 + 2z/5 + … + 2z¹¹/25, by Horner from the top.
    var q = SIMD4<Double>(repeating: 2.0 / 25)
    q = SIMD4(repeating: 2.0 / 23).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 21).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 19).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 17).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 15).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 13).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 11).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 9).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 7).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 5).addingProduct(q, z)
    q = SIMD4(repeating: 2.0 / 3).addingProduct(q, z)
    let logM = (s * SIMD4(repeating: 2)).addingProduct(s * z, q)
    return logM.addingProduct(e, SIMD4(repeating: 0.693_147_180_559_945_3))
  }

  /// cos(2π·t) and sin(2π·t) for four turn fractions t ∈ [0, 1): within 2 ulp of the
  /// exact values, or 2⁻⁵⁴ where they are near zero.
  ///
  /// The quadrant q = round(4t) and the rest r = t − q/4, |r| ≤ ⅛, are exact, so the
  /// reduction adds no error; θ = 2π·r ∈ [−π/4, π/4] takes one rounding, and Taylor
  /// series to θ¹⁷ (sine) and θ¹⁸ (cosine) leave remainders below 10⁻¹⁶. The quadrant
  /// then turns (cos θ, sin θ) by exact swaps and sign flips.
  static func cosSinOfTurn(_ t: SIMD4<Double>) -> (cos: SIMD4<Double>, sin: SIMD4<Double>) {
    // Adding 1.5·2⁵² rounds 4t to the nearest integer q (ties to even) and leaves q
    // in the low bits of the sum.
    let magic = SIMD4<Double>(repeating: 6_755_399_441_055_744)
    let shifted = (t * SIMD4(repeating: 4)) + magic
    let q = shifted - magic
    let r = t.addingProduct(q, SIMD4(repeating: -0.25))
    let theta = r * SIMD4(repeating: 6.283_185_307_179_586)
    let z = theta * theta
    // sin θ = θ + θ·z·S(z), S(z) = −1/3! + z/5! − … + z⁷/17!, and
    // cos θ = 1 + z·C(z), C(z) = −1/2! + z/4! − … − z⁸/18!, by Horner from the top
    // (n! is exact in a double up to 18!, so each coefficient is rounded once).
    var sinTail = SIMD4<Double>(repeating: 1.0 / 355_687_428_096_000)
    sinTail = SIMD4(repeating: -1.0 / 1_307_674_368_000).addingProduct(sinTail, z)
    sinTail = SIMD4(repeating: 1.0 / 6_227_020_800).addingProduct(sinTail, z)
    sinTail = SIMD4(repeating: -1.0 / 39_916_800).addingProduct(sinTail, z)
    sinTail = SIMD4(repeating: 1.0 / 362_880).addingProduct(sinTail, z)
    sinTail = SIMD4(repeating: -1.0 / 5040).addingProduct(sinTail, z)
    sinTail = SIMD4(repeating: 1.0 / 120).addingProduct(sinTail, z)
    sinTail = SIMD4(repeating: -1.0 / 6).addingProduct(sinTail, z)
    var cosTail = SIMD4<Double>(repeating: -1.0 / 6_402_373_705_728_000)
    cosTail = SIMD4(repeating: 1.0 / 20_922_789_888_000).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: -1.0 / 87_178_291_200).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: 1.0 / 479_001_600).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: -1.0 / 3_628_800).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: 1.0 / 40320).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: -1.0 / 720).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: 1.0 / 24).addingProduct(cosTail, z)
    cosTail = SIMD4(repeating: -1.0 / 2).addingProduct(cosTail, z)
    let sine = unsafeBitCast(theta.addingProduct(theta * z, sinTail), to: SIMD4<Int64>.self)
    let cosine = unsafeBitCast(SIMD4(repeating: 1).addingProduct(z, cosTail), to: SIMD4<Int64>.self)
    // Quadrant k = q mod 4 turns (c, s) into (c, s), (−s, c), (−c, −s), (s, −c):
    // swap when k is odd, then flip cos's sign for k ∈ {1, 2} and sin's for k ∈ {2, 3}.
    let k = unsafeBitCast(shifted, to: SIMD4<Int64>.self) & SIMD4(repeating: 3)
    let swap = SIMD4<Int64>(repeating: 0) &- (k & SIMD4(repeating: 1))
    let c = (cosine & ~swap) | (sine & swap)
    let s = (sine & ~swap) | (cosine & swap)
    let cosSign = ((k &+ SIMD4(repeating: 1)) & SIMD4(repeating: 2)) &<< SIMD4(repeating: 62)
    let sinSign = (k & SIMD4(repeating: 2)) &<< SIMD4(repeating: 62)
    return (unsafeBitCast(c ^ cosSign, to: SIMD4<Double>.self), unsafeBitCast(s ^ sinSign, to: SIMD4<Double>.self))
  }

  /// ``log(_:)-(SIMD4<Double>)`` of one double (lane 0, so the bits are the same).
  static func log(_ x: Double) -> Double {
    precondition(x.isNormal && x > 0, "Elementary.log: \(x) is not a positive normal double")
    return log(SIMD4(repeating: x))[0]
  }

  /// ``cosSinOfTurn(_:)-(SIMD4<Double>)`` of one turn fraction (lane 0).
  static func cosSinOfTurn(_ t: Double) -> (cos: Double, sin: Double) {
    precondition(t >= 0 && t < 1, "Elementary.cosSinOfTurn: \(t) is not in [0, 1)")
    let (c, s) = cosSinOfTurn(SIMD4(repeating: t))
    return (c[0], s[0])
  }
}
