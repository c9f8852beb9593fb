@testable import Plotting

/// Helpers to find the study's colours in rendered pixels.
///
/// Markers are translucent, so their pixels are the palette colour blended with white
/// (or with each other); the tests classify by channel dominance with a 40-level margin,
/// which every blend of blue (#0072B2) or orange (#E69F00) with white at alpha ≥ 0.3
/// satisfies and grey text, grid lines and white background never do.
enum ImageInspection {
  static func isBluish(_ p: (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)) -> Bool {
    Int(p.blue) > Int(p.red) + 40
  }

  static func isOrangish(_ p: (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)) -> Bool {
    Int(p.red) > Int(p.blue) + 40 && Int(p.red) >= Int(p.green)
  }

  static func isDark(_ p: (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)) -> Bool {
    Int(p.red) + Int(p.green) + Int(p.blue) < 3 * 110
  }

  /// Sum of the three channels, 0 (black) … 765 (white).
  static func brightness(_ p: (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)) -> Int {
    Int(p.red) + Int(p.green) + Int(p.blue)
  }

  /// Number of pixels in the device-pixel box `[x0, x1) × [y0, y1)` that satisfy `test`.
  static func count(
    in image: RasterImage, x: Range<Int>, y: Range<Int>,
    where test: ((red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)) -> Bool
  ) -> Int {
    var n = 0
    for py in y.clamped(to: 0..<image.height) {
      for px in x.clamped(to: 0..<image.width) where test(image[px, py]) { n += 1 }
    }
    return n
  }

  /// The figure's layout, as the renderer computes it.
  static func layout(of figure: Figure) throws -> FigureLayout {
    let canvas = try CairoCanvas.image(width: 1, height: 1)
    return FigureLayout(figure: figure, canvas: canvas)
  }

  /// Device-pixel box around a data point of a frame (at `scale`), ± `radius` px.
  static func box(
    around point: (Double, Double), in frame: FigureLayout.Frame, scale: Double, radius: Int
  ) -> (x: Range<Int>, y: Range<Int>) {
    let x = Int((frame.transform.px(point.0) * scale).rounded())
    let y = Int((frame.transform.py(point.1) * scale).rounded())
    return ((x - radius)..<(x + radius + 1), (y - radius)..<(y + radius + 1))
  }

  /// A deterministic 2-D cluster of `n` points around `center`, row-major.
  static func cluster(n: Int, center: (Double, Double), spread: Double, seed: UInt64) -> [Double] {
    var random = SplitMix64(seed: seed)
    var points: [Double] = []
    for _ in 0..<n {
      points.append(center.0 + spread * (random.uniform() - 0.5))
      points.append(center.1 + spread * (random.uniform() - 0.5))
    }
    return points
  }
}
