import Testing

@testable import GANEngine

@Suite struct RandomAndDataTests {
  @Test func streamsAreReproducibleAndIndependent() {
    var a = RandomStream(seed: 42, stream: 1)
    var b = RandomStream(seed: 42, stream: 1)
    var c = RandomStream(seed: 42, stream: 2)
    let xa = (0..<8).map { _ in a.next() }
    #expect(xa == (0..<8).map { _ in b.next() })
    #expect(xa != (0..<8).map { _ in c.next() })
  }

  /// 200 000 normals: the sample mean has sd 1/sqrt(2e5) ≈ 0.0022 and the variance
  /// sd ≈ 0.0032; tolerances are five of those.
  @Test func normalsHaveUnitMoments() {
    var rng = RandomStream(seed: 9)
    let z = rng.normals(count: 200_000)
    let mean = z.reduce(0.0) { $0 + Double($1) } / Double(z.count)
    let variance = z.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(z.count)
    #expect(abs(mean) < 0.011)
    #expect(abs(variance - 1) < 0.016)
    var u = RandomStream(seed: 3)
    for _ in 0..<10_000 {
      let x = u.nextUniform()
      #expect(x >= 0 && x < 1)
    }
  }

  /// x = z1 + y²/2 with y = 2·z2: E x = 2, sd x = 3 (Var = 1 + 4·2), E y = 0, sd y = 2,
  /// and x − y²/2 is the standard normal z1. 100 000 points: tolerances ≈ 5 sd.
  @Test func bananaHasTheStudiedShape() {
    let points = Banana.population(seed: 0, count: 100_000)
    let (mean, std) = SampleMetrics.moments(points)
    #expect(abs(mean[0] - 2) < 0.05)
    #expect(abs(mean[1]) < 0.035)
    #expect(abs(std[0] - 3) < 0.07)
    #expect(abs(std[1] - 2) < 0.025)
    var residual: [Float] = []
    for i in 0..<100_000 {
      let (x, y) = (points[2 * i], points[2 * i + 1])
      residual.append(x - y * y / 2)
      residual.append(0)
    }
    let r = SampleMetrics.moments(residual)
    #expect(abs(r.mean[0]) < 0.02 && abs(r.std[0] - 1) < 0.02)
    #expect(Banana.population(seed: 0, count: 2048) == Banana.population(seed: 0, count: 2048))
    #expect(Banana.population(seed: 0, count: 16) != Banana.population(seed: 1, count: 16))
    #expect(Banana.noise(seed: 5, count: 10).count == 20)
  }
}
