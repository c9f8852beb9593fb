import Testing

@testable import Plotting

@Suite struct NiceTicksTests {
  // MARK: - Steps and values

  @Test func unitRangeGivesTenthsOfTwo() {
    let ticks = NiceTicks.ticks(in: 0...1, targetCount: 5)
    #expect(ticks.map(\.value) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    #expect(NiceTicks.labels(for: ticks) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  @Test func negativeLabelsUseTrueMinusSign() {
    let ticks = NiceTicks.ticks(in: -1...1, targetCount: 4)
    let labels = NiceTicks.labels(for: ticks)
    #expect(labels == ["\u{2212}1.0", "\u{2212}0.5", "0.0", "0.5", "1.0"])
    #expect(!labels.joined().contains("-"))
  }

  @Test func integerStepsHaveNoDecimals() {
    let ticks = NiceTicks.ticks(in: -12.3...27.9, targetCount: 5)
    #expect(NiceTicks.labels(for: ticks) == ["\u{2212}10", "0", "10", "20"])
  }

  @Test func tenthsAreExactDecimalsWithoutFloatNoise() {
    // 3 × 0.1 in binary floating point is 0.30000000000000004; ticks are built as
    // integer / 10, the double closest to 0.3, and labelled from the integer.
    let ticks = NiceTicks.ticks(in: 0...0.9, targetCount: 9)
    #expect(ticks.map(\.value) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    #expect(NiceTicks.labels(for: ticks)[3] == "0.3")
  }

  @Test func largeValuesUsePowerOfTenNotation() {
    let ticks = NiceTicks.ticks(in: 0...5e6, targetCount: 5)
    #expect(NiceTicks.labels(for: ticks) == ["0", "1×10⁶", "2×10⁶", "3×10⁶", "4×10⁶", "5×10⁶"])
  }

  @Test func smallValuesUseNegativePowers() {
    let ticks = NiceTicks.ticks(in: -2e-5...2e-5, targetCount: 4)
    #expect(NiceTicks.labels(for: ticks) == ["\u{2212}2×10⁻⁵", "\u{2212}1×10⁻⁵", "0", "1×10⁻⁵", "2×10⁻⁵"])
  }

  @Test func narrowRangeStillGetsTwoTicks() {
    let ticks = NiceTicks.ticks(in: 0.9993...1.0004, targetCount: 5)
    #expect(ticks.count >= 2)
    #expect(NiceTicks.labels(for: ticks).allSatisfy { $0.hasPrefix("0.999") || $0.hasPrefix("1.000") })
  }

  @Test func degenerateRangeHasNoTicks() {
    #expect(NiceTicks.ticks(in: 3...3, targetCount: 5).isEmpty)
  }

  /// Over many ranges: ticks lie inside, are evenly spaced by 1, 2 or 5 × 10^k, and
  /// their number stays near the target.
  @Test func propertiesHoldOverManyRanges() {
    var random = SplitMix64(seed: 7)
    for _ in 0..<500 {
      let center = (random.uniform() - 0.5) * 2000
      // Spans from 1e-3 to 1e6.
      let decades = Int(random.uniform() * 9) - 3
      var span = 1 + 9 * random.uniform()
      for _ in 0..<abs(decades) { span = decades > 0 ? span * 10 : span / 10 }
      let lo = center - span * random.uniform(), hi = lo + span
      let target = 2 + Int(random.uniform() * 8)
      let ticks = NiceTicks.ticks(in: lo...hi, targetCount: target)
      #expect(ticks.count >= 2 && ticks.count <= 2 * target + 2, "\(lo)...\(hi) target \(target)")
      let tolerance = span * 1e-9
      #expect(ticks.allSatisfy { $0.value >= lo - tolerance && $0.value <= hi + tolerance })
      let exponent = ticks[0].exponent
      #expect(ticks.allSatisfy { $0.exponent == exponent })
      let steps = Set(zip(ticks.dropFirst(), ticks).map { $0.mantissa - $1.mantissa })
      #expect(steps.count == 1 && [1, 2, 5].contains(steps.first ?? 0))
      let labels = NiceTicks.labels(for: ticks)
      #expect(Set(labels).count == labels.count, "labels must be distinct: \(labels)")
    }
  }

  // MARK: - Decimal formatting

  @Test func decimalFormatting() {
    #expect(NiceTicks.decimal(-12, exponent: -1) == "\u{2212}1.2")
    #expect(NiceTicks.decimal(5, exponent: -3) == "0.005")
    #expect(NiceTicks.decimal(0, exponent: -1) == "0.0")
    #expect(NiceTicks.decimal(3, exponent: 2) == "300")
    #expect(NiceTicks.decimal(0, exponent: 2) == "0")
    #expect(NiceTicks.superscript(-12) == "⁻¹²")
  }
}
