import Foundation

/// A timing of the renderer on the study's typical figure, for `report bench`.
///
/// Renders a two-series scatter of 2 × 2048 points (a banana-shaped "real" set and a
/// Gaussian "noise" set, from a fixed seed) to PNG and SVG, and reports the best of
/// `iterations` timings after one warm-up render (which loads the font).
public enum PlottingBenchmark {
  /// One line per format, e.g. `"plotting: scatter 2×2048 → PNG 31.2 ms (67 kB), best of 5"`.
  public static func run(iterations: Int = 5) throws -> String {
    precondition(iterations >= 1, "PlottingBenchmark: at least one iteration")
    let figure = sampleFigure(pointsPerSeries: 2048)
    var pngBytes = try Renderer.png(figure)
    var svgBytes = try Renderer.svg(figure)
    let clock = ContinuousClock()
    var bestPNG = Duration.seconds(1000), bestSVG = Duration.seconds(1000)
    for _ in 0..<iterations {
      let start = clock.now
      pngBytes = try Renderer.png(figure)
      let middle = clock.now
      svgBytes = try Renderer.svg(figure)
      let end = clock.now
      bestPNG = min(bestPNG, middle - start)
      bestSVG = min(bestSVG, end - middle)
    }
    return [
      line("PNG (2×)", bestPNG, bytes: pngBytes.count, iterations: iterations),
      line("SVG", bestSVG, bytes: svgBytes.count, iterations: iterations),
    ].joined(separator: "\n")
  }

  /// The benchmark's figure: `pointsPerSeries` banana points against as many noise points.
  static func sampleFigure(pointsPerSeries n: Int) -> Figure {
    var random = SplitMix64(seed: 2022)
    var real: [Double] = []
    var noise: [Double] = []
    real.reserveCapacity(2 * n)
    noise.reserveCapacity(2 * n)
    for _ in 0..<n {
      let y = 2 * random.normal()
      real += [random.normal() + y * y / 2, y]
      noise += [random.normal(), random.normal()]
    }
    return StudyPlots.samples(real: real, fake: noise, fakeLabel: "noise", title: "Benchmark")
  }

  private static func line(_ format: String, _ duration: Duration, bytes: Int, iterations: Int) -> String {
    let ms = Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
    return "plotting: scatter 2×2048 → \(format) \(String(format: "%.1f", ms)) ms "
      + "(\(bytes / 1000) kB), best of \(iterations)"
  }
}
