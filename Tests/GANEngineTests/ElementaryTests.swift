import Foundation
import Testing

@testable import GANEngine

/// The engine's own elementary functions against the platform's Double functions, which
/// are independent implementations accurate to about 10⁻¹⁶: the float functions are
/// judged in ulps of the float result, the double ones relative to their value.
@Suite struct ElementaryTests {
  /// The distance of `value` from `exact` in ulps of the float nearest `exact`.
  private func ulps(_ value: Float, _ exact: Double) -> Double {
    let nearest = Float(exact)
    let ulp = nearest == 0 ? Float.leastNonzeroMagnitude : nearest.ulp
    return abs(Double(value) - exact) / Double(ulp)
  }

  /// The float functions evaluated eight at a time over `inputs`.
  private func lanes(_ inputs: [Float], _ f: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(inputs.count + 8)
    var i = 0
    while i < inputs.count {
      var v = SIMD8<Float>(repeating: 0)
      for lane in 0..<8 where i + lane < inputs.count { v[lane] = inputs[i + lane] }
      let r = f(v)
      for lane in 0..<8 where i + lane < inputs.count { out.append(r[lane]) }
      i += 8
    }
    return out
  }

  /// Every float in [lower, upper] with a step of `ulpsApart` floats, plus both ends.
  private func floats(from lower: Float, to upper: Float, count: Int) -> [Float] {
    (0...count).map { lower + (upper - lower) * Float($0) / Float(count) }
  }

  @Test func expIsWithinOneUlpOnTheLossDomain() {
    let xs = floats(from: -87.3, to: 0, count: 400_000) + [-1e-30, -1e-7, -0.346_57, -0.346_58, -87.336]
    let ys = lanes(xs, Elementary.exp)
    var worst = 0.0
    for (x, y) in zip(xs, ys) { worst = max(worst, ulps(y, Foundation.exp(Double(x)))) }
    #expect(worst <= 1, "worst error \(worst) ulp")
  }

  @Test func expEdges() {
    let v = Elementary.exp(SIMD8<Float>(0, -0.0, -87.4, -200, -.infinity, .nan, -87.33, 1))
    #expect(v[0] == 1 && v[1] == 1)
    #expect(v[2] == 0 && v[3] == 0 && v[4] == 0, "below 2^-126 the result is flushed to zero")
    #expect(v[5].isNaN)
    #expect(v[6] > 0 && v[6].isNormal)
    #expect(abs(v[7] - Float(M_E)) <= Float(M_E).ulp, "one step beyond the domain still works")
  }

  @Test func log1pIsWithinOneAndAQuarterUlpOnTheUnitInterval() {
    let xs = floats(from: 0, to: 1, count: 400_000) + [1e-30, 1e-8, 5.960_464_5e-08, 0.414_213_5, 0.414_213_6, 1]
    let ys = lanes(xs, Elementary.log1p)
    var worst = 0.0
    for (x, y) in zip(xs, ys) { worst = max(worst, ulps(y, Foundation.log1p(Double(x)))) }
    #expect(worst <= 1.25, "worst error \(worst) ulp")
    #expect(Elementary.log1p(SIMD8(repeating: 0)) == SIMD8(repeating: 0))
  }

  @Test func sigmoidAndSoftplusFollowTheirDefinitions() {
    let zs = floats(from: -30, to: 30, count: 60_001)
    let sig = lanes(zs, Elementary.sigmoid)
    let soft = lanes(zs, Elementary.softplusOfNegativeMagnitude)
    var worstSigmoid = 0.0
    var worstSoftplus = 0.0
    for i in zs.indices {
      let z = Double(zs[i])
      worstSigmoid = max(worstSigmoid, ulps(sig[i], 1 / (1 + Foundation.exp(-z))))
      worstSoftplus = max(worstSoftplus, ulps(soft[i], Foundation.log1p(Foundation.exp(-abs(z)))))
    }
    #expect(worstSigmoid <= 2, "sigmoid: worst \(worstSigmoid) ulp")
    #expect(worstSoftplus <= 2, "softplus: worst \(worstSoftplus) ulp")
    // Symmetry σ(−z) = 1 − σ(z) holds to rounding, and the extremes saturate without overflow.
    let extremes = Elementary.sigmoid(SIMD8<Float>(-1e30, 1e30, -100, 100, 0, -0.0, 88, -88))
    #expect(extremes[0] == 0 && extremes[1] == 1 && extremes[2] == 0 && extremes[3] == 1)
    #expect(extremes[4] == 0.5 && extremes[5] == 0.5)
  }

  /// The loss' one-logit forms (the reference session's) are the lanes of the eight-logit
  /// forms (the fast session's), so both paths compute the same bits.
  @Test func scalarFormsAreLanes() {
    let z = SIMD8<Float>(-3.25, -0.001, 0, -50, 0.25, 0.75, 1, 40)
    let losses = BinaryCrossEntropy.elementLosses(z, label: 1)
    let sigmoids = Elementary.sigmoid(z)
    for lane in 0..<8 {
      #expect(BinaryCrossEntropy.elementLoss(logit: z[lane], label: 1) == losses[lane])
      #expect(BinaryCrossEntropy.sigmoid(z[lane]) == sigmoids[lane])
    }
  }

  /// The uniforms the engine feeds to the logarithm: (k + 1)·2⁻⁵³, here spread over
  /// every binade down to 2⁻⁵³.
  @Test func logIsWithinTwoUlpOnTheUniforms() {
    var rng = RandomStream(seed: 11)
    var worst = 0.0
    for i in 0..<200_000 {
      let binade = Double(i % 53)
      let x = (1 + Double(rng.next() >> 12) * 0x1.0p-52) * Foundation.pow(2, -binade - 1)
      let exact = Foundation.log(x)
      worst = max(worst, abs(Elementary.log(x) - exact) / exact.ulp)
    }
    #expect(worst <= 2, "worst error \(worst) ulp")
    #expect(Elementary.log(1) == 0)
    #expect(Elementary.log(0.5) == -0.693_147_180_559_945_3)
    #expect(Elementary.log(0x1.0p-53) == -53 * 0.693_147_180_559_945_3)
  }

  @Test func cosAndSinOfTurnsAreWithinTwoUlpOrAbsolute() {
    var rng = RandomStream(seed: 12)
    var worst = 0.0
    for _ in 0..<200_000 {
      let t = Double(rng.next() >> 11) * 0x1.0p-53
      let (c, s) = Elementary.cosSinOfTurn(t)
      let angle = 2 * Double.pi * t
      // The exact angle carries the rounding of 2π·t (below 2^-51 absolute), so the
      // reference is judged with an absolute floor of 2^-50.
      let floor = 0x1.0p-50
      worst = max(worst, abs(c - Foundation.cos(angle)) / max(Foundation.cos(angle).ulp, floor))
      worst = max(worst, abs(s - Foundation.sin(angle)) / max(Foundation.sin(angle).ulp, floor))
    }
    #expect(worst <= 2, "worst error \(worst) ulp")
    // The quadrants are exact.
    #expect(Elementary.cosSinOfTurn(0) == (1, 0))
    #expect(Elementary.cosSinOfTurn(0.25) == (-0.0, 1))
    #expect(Elementary.cosSinOfTurn(0.5) == (-1, -0.0))
    #expect(Elementary.cosSinOfTurn(0.75) == (0, -1))
    let eighth = Elementary.cosSinOfTurn(0.125)
    #expect(abs(eighth.cos - 0.5.squareRoot()) <= 0.5.squareRoot().ulp)
    #expect(abs(eighth.sin - 0.5.squareRoot()) <= 0.5.squareRoot().ulp)
  }
}

extension ElementaryTests {
  /// Adam's bias corrections β^t: the power by squaring is the correctly rounded value
  /// of the platform's Double `pow` for every step of a long run.
  @Test func powerIsTheRoundedPower() {
    for base: Float in [0.9, 0.999, 0.5, 0.99] {
      for t in [0, 1, 2, 3, 7, 100, 1999, 2000] + Array(stride(from: 1, through: 5000, by: 37)) {
        #expect(Elementary.power(base, t) == Float(Foundation.pow(Double(base), Double(t))), "\(base)^\(t)")
      }
    }
  }
}

extension ElementaryTests {
  /// Each lane of the four-lane functions is the one-value function of its input.
  @Test func doubleLanesAreIndependent() {
    let xs = SIMD4<Double>(0x1.0p-53, 0.3, 0.707_106_781_186_547_5, 1)
    let ts = SIMD4<Double>(0, 0.3, 0.625, 0.999_999)
    let logs = Elementary.log(xs)
    let (c, s) = Elementary.cosSinOfTurn(ts)
    for lane in 0..<4 {
      #expect(logs[lane] == Elementary.log(xs[lane]))
      #expect(c[lane] == Elementary.cosSinOfTurn(ts[lane]).cos)
      #expect(s[lane] == Elementary.cosSinOfTurn(ts[lane]).sin)
    }
  }

  /// The bulk normal draw gives the values and leaves the state of one-at-a-time
  /// draws, whatever the count and whether a spare value is pending.
  @Test func bulkNormalsEqualOneAtATime() {
    for (count, pending) in [(0, false), (1, true), (7, false), (8, true), (9, false), (4096, false), (4097, true)] {
      var bulk = RandomStream(seed: 5, stream: 3)
      var single = bulk
      if pending {
        _ = bulk.nextNormal()
        _ = single.nextNormal()
      }
      var values = [Float](repeating: .nan, count: count)
      values.withUnsafeMutableBufferPointer { bulk.fillNormals($0.baseAddress!, count: count) }
      let expected = (0..<count).map { _ in single.nextNormal() }
      #expect(values == expected, "count \(count), pending \(pending)")
      #expect(bulk.nextNormal() == single.nextNormal(), "count \(count): the streams continue alike")
    }
  }
}
