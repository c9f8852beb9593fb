/// The engine's seeded random number generator: xoshiro256** (Blackman & Vigna),
/// with its 256-bit state filled by four outputs of splitmix64.
///
/// Independent streams for different purposes (initialization, noise, data) come
/// from the same seed through a stream number: the splitmix64 sequence starts at
/// `seed ⊕ (stream · 0x9E3779B97F4A7C15)` and is advanced once per state word.
///
/// - Uniform floats: the top 24 bits of a draw, scaled to [0, 1).
/// - Normal floats: Box–Muller in Double on two uniforms u1 ∈ (0, 1], u2 ∈ [0, 1),
///   both outputs used (cos first, then sin), rounded to Float. The logarithm, cosine
///   and sine are the engine's own (``Elementary``), so the draws are the same bits
///   whatever C library the process runs on.
///
/// ```swift
/// var rng = RandomStream(seed: 7, stream: RandomStream.Purpose.noise)
/// let z = rng.nextNormal()
/// ```
struct RandomStream: RandomNumberGenerator, Sendable {
  /// Stream numbers the engine uses for its separate purposes.
  enum Purpose {
    /// The real population (from the data seed).
    static let data: UInt64 = 1
    /// Weight initialization (from the model seed).
    static let initialization: UInt64 = 2
    /// Noise fed to G during training and for the final samples (from the model seed).
    static let noise: UInt64 = 3
  }

  private var state: (UInt64, UInt64, UInt64, UInt64)
  private var spareNormal: Float?

  /// A generator for `seed` and stream number `stream`.
  init(seed: UInt64, stream: UInt64 = 0) {
    var sm = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15)
    state = (Self.splitmix(&sm), Self.splitmix(&sm), Self.splitmix(&sm), Self.splitmix(&sm))
    spareNormal = nil
  }

  private static func splitmix(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  /// The next 64 random bits (xoshiro256**).
  mutating func next() -> UInt64 {
    let result = Self.rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = Self.rotl(state.3, 45)
    return result
  }

  /// A uniform float in [0, 1) with 24 random bits.
  mutating func nextUniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform float in [low, high).
  mutating func nextUniform(in low: Float, _ high: Float) -> Float {
    low + (high - low) * nextUniform()
  }

  /// A standard normal float (Box–Muller; the second value of each pair is kept
  /// for the next call).
  mutating func nextNormal() -> Float {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    let (u1, u2) = nextBoxMullerUniforms()
    let radius = (-2 * Elementary.log(u1)).squareRoot()
    let (cosine, sine) = Elementary.cosSinOfTurn(u2)
    spareNormal = Float(radius * sine)
    return Float(radius * cosine)
  }

  /// The two uniforms of one Box–Muller pair, 53 bits each: u1 ∈ (0, 1], so that
  /// log(u1) is finite, then u2 ∈ [0, 1).
  private mutating func nextBoxMullerUniforms() -> (Double, Double) {
    let u1 = Double((next() >> 11) + 1) * 0x1.0p-53
    let u2 = Double(next() >> 11) * 0x1.0p-53
    return (u1, u2)
  }

  /// `count` standard normal floats.
  mutating func normals(count: Int) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { fillNormals(base, count: count) } }
    return out
  }

  /// Writes `count` standard normal floats to `p`: the same values, in the same order,
  /// as `count` calls of ``nextNormal()``, with four Box–Muller pairs computed at once.
  mutating func fillNormals(_ p: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    if count > 0, let spare = spareNormal {
      p[0] = spare
      spareNormal = nil
      i = 1
    }
    while count - i >= 8 {
      var u1 = SIMD4<Double>()
      var u2 = SIMD4<Double>()
      for lane in 0..<4 { (u1[lane], u2[lane]) = nextBoxMullerUniforms() }
      let radius = (SIMD4(repeating: -2) * Elementary.log(u1)).squareRoot()
      let (cosine, sine) = Elementary.cosSinOfTurn(u2)
      let first = radius * cosine
      let second = radius * sine
      for lane in 0..<4 {
        p[i + 2 * lane] = Float(first[lane])
        p[i + 2 * lane + 1] = Float(second[lane])
      }
      i += 8
    }
    while i < count {
      p[i] = nextNormal()
      i += 1
    }
  }
}
