/// An sRGB colour with straight (non-premultiplied) alpha, each component in `0...1`.
///
/// The static members form a colour-blind-safe palette (Okabe & Ito, 2008):
///
/// ```swift
/// let measured = Series.scatter(points: population, label: "measured", color: .blue)
/// ```
public struct Color: Sendable, Hashable {
  /// Red component, `0...1`.
  public var red: Double
  /// Green component, `0...1`.
  public var green: Double
  /// Blue component, `0...1`.
  public var blue: Double
  /// Opacity, `0...1` (1 is opaque).
  public var alpha: Double

  /// Creates a colour from components in `0...1`.
  public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
    precondition(
      [red, green, blue, alpha].allSatisfy { (0...1).contains($0) },
      "Color components must lie in 0...1")
    self.red = red
    self.green = green
    self.blue = blue
    self.alpha = alpha
  }

  /// Creates an opaque colour from a 24-bit `0xRRGGBB` value.
  public init(hex: UInt32) {
    precondition(hex <= 0xFF_FFFF, "Color(hex:) takes a 24-bit 0xRRGGBB value")
    self.init(
      red: Double((hex >> 16) & 0xFF) / 255,
      green: Double((hex >> 8) & 0xFF) / 255,
      blue: Double(hex & 0xFF) / 255)
  }

  /// The same colour with its opacity replaced.
  public func withAlpha(_ alpha: Double) -> Color {
    Color(red: red, green: green, blue: blue, alpha: alpha)
  }
}

// MARK: - Palette

extension Color {
  /// Okabe–Ito blue (#0072B2).
  public static let blue = Color(hex: 0x0072B2)
  /// Okabe–Ito orange (#E69F00).
  public static let orange = Color(hex: 0xE69F00)
  /// Okabe–Ito bluish green (#009E73).
  public static let green = Color(hex: 0x009E73)
  /// Okabe–Ito vermillion (#D55E00).
  public static let vermillion = Color(hex: 0xD55E00)
  /// Okabe–Ito reddish purple (#CC79A7).
  public static let purple = Color(hex: 0xCC79A7)
  /// Okabe–Ito sky blue (#56B4E9).
  public static let skyBlue = Color(hex: 0x56B4E9)
  /// A dark grey for reference lines and text (#4D4D4D).
  public static let gray = Color(hex: 0x4D4D4D)
  /// Black.
  public static let black = Color(hex: 0x000000)
  /// White.
  public static let white = Color(hex: 0xFFFFFF)

  /// The cycle used for series without an explicit colour, in order.
  ///
  /// Blue and orange come first, the most distinct pair, so that a two-series figure
  /// needs no colours named; yellow is left out because it is unreadable on white.
  public static let palette: [Color] = [
    .blue, .orange, .green, .vermillion, .purple, .skyBlue, .gray,
  ]
}
