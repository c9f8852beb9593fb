import Foundation

extension RunResult {
  /// Non-finite floats in JSON are written as these strings.
  public static let nonFiniteStrings = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

  /// The encoder for results: sorted keys (byte-stable output) and non-finite
  /// floats as the strings "inf", "-inf" and "nan".
  public static func jsonEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: nonFiniteStrings.positiveInfinity,
      negativeInfinity: nonFiniteStrings.negativeInfinity, nan: nonFiniteStrings.nan)
    return encoder
  }

  /// The decoder matching ``jsonEncoder()``.
  public static func jsonDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: nonFiniteStrings.positiveInfinity,
      negativeInfinity: nonFiniteStrings.negativeInfinity, nan: nonFiniteStrings.nan)
    return decoder
  }
}
