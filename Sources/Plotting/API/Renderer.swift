/// Renders a ``Figure`` to PNG or SVG bytes with Cairo.
///
/// Both formats run the same drawing code, so they show the same figure; text is
/// DejaVu Sans. Output is deterministic: the same figure gives identical bytes.
///
/// ```swift
/// let png = try Renderer.png(figure)          // 2× pixels for sharp display
/// let svg = try Renderer.svg(figure)
/// ```
public enum Renderer {
  /// PNG bytes of `figure`, `scale` device pixels per CSS pixel (2 = retina-sharp).
  ///
  /// - Throws: ``PlottingError`` if Cairo fails (e.g. out of memory).
  public static func png(_ figure: Figure, scale: Double = 2) throws -> [UInt8] {
    let canvas = try rasterCanvas(figure, scale: scale)
    return try canvas.pngBytes()
  }

  /// SVG bytes (UTF-8 XML, SVG 1.1) of `figure`, sized in CSS pixels.
  ///
  /// - Throws: ``PlottingError`` if Cairo fails.
  public static func svg(_ figure: Figure) throws -> [UInt8] {
    let canvas = try CairoCanvas.svg(width: figure.width, height: figure.height)
    FigureDrawer(figure: figure, canvas: canvas).draw()
    return SVGCompactor.compact(SVGIdentifiers.normalize(try canvas.finish()))
  }

  /// Draws `figure` on an image surface and returns the canvas (for PNG encoding or
  /// inspecting the pixels).
  static func rasterCanvas(_ figure: Figure, scale: Double) throws -> CairoCanvas {
    precondition(scale > 0 && scale <= 8, "Renderer.png: scale must lie in (0, 8]")
    let width = Int((figure.width * scale).rounded())
    let height = Int((figure.height * scale).rounded())
    let canvas = try CairoCanvas.image(width: width, height: height)
    canvas.scale(scale)
    FigureDrawer(figure: figure, canvas: canvas).draw()
    try canvas.checkStatus("drawing the figure")
    return canvas
  }
}
