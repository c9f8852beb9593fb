/// The study's real data, the "banana", and the 2-D noise G transforms.
///
/// Each banana point: z1, z2 ~ N(0, 1) (drawn in that order); y = 2·z2;
/// x = z1 + y²/2. The point is (x, y).
///
/// ```swift
/// let real = Banana.population(seed: 0, count: 2048)   // [x0, y0, x1, y1, …]
/// ```
public enum Banana {
  /// `count` banana points from the data stream of `seed`, row-major (x, y) pairs.
  public static func population(seed: UInt64, count: Int) -> [Float] {
    precondition(count >= 0, "Banana.population: negative count")
    var rng = RandomStream(seed: seed, stream: RandomStream.Purpose.data)
    var out = [Float](repeating: 0, count: 2 * count)
    for i in 0..<count {
      let z1 = rng.nextNormal()
      let z2 = rng.nextNormal()
      let y = 2 * z2
      out[2 * i] = z1 + y * y / 2
      out[2 * i + 1] = y
    }
    return out
  }

  /// `count` 2-D standard normal points from the noise stream of `seed`, row-major.
  public static func noise(seed: UInt64, count: Int) -> [Float] {
    precondition(count >= 0, "Banana.noise: negative count")
    var rng = RandomStream(seed: seed, stream: RandomStream.Purpose.noise)
    return rng.normals(count: 2 * count)
  }
}
