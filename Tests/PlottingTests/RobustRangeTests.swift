import Testing

@testable import Plotting

@Suite struct RobustRangeTests {
  @Test func plainDataKeepsItsFullRange() {
    let values = (0..<100).map { Double($0) / 10 }
    #expect(RobustRange.of(values) == 0...9.9)
  }

  @Test func extremeOutliersAreFencedOut() {
    var values = (0..<1000).map { Double($0 % 50) / 10 }  // 0 ... 4.9
    values += [1e6, -3e5, 2e7]
    #expect(RobustRange.of(values) == 0...4.9)
  }

  @Test func longTailsWithinTheFenceAreKept() {
    // A heavy but genuine tail (like the banana's x) must not be cut.
    var values = (0..<2000).map { Double($0 % 100) / 10 }  // 0 ... 9.9
    values += [30, 45]
    #expect(RobustRange.of(values) == 0...45)
  }

  @Test func nonFiniteValuesAreIgnored() {
    #expect(RobustRange.of([.nan, 1, .infinity, 3, -.infinity]) == 1...3)
    #expect(RobustRange.of([.nan, .infinity]) == nil)
    #expect(RobustRange.of([]) == nil)
  }

  @Test func degenerateRangesAreWidened() {
    #expect(RobustRange.nonDegenerate(nil) == 0...1)
    #expect(RobustRange.nonDegenerate(2...2) == 1.5...2.5)
    #expect(RobustRange.nonDegenerate(1000...1000) == 950...1050)
    #expect(RobustRange.nonDegenerate(-1...4) == -1...4)
  }

  @Test func paddingWidensBothSides() {
    #expect(RobustRange.padded(0...10, fraction: 0.05) == -0.5...10.5)
    #expect(RobustRange.padded(-4...(-2), fraction: 0.5) == -5...(-1))
  }
}
