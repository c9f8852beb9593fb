import CCairo

/// Owns a Cairo surface and its drawing context; both are destroyed in `deinit`.
///
/// The surface writes into a ``ByteSink`` (PNG on demand, SVG as it draws), which the
/// canvas keeps alive until the surface is finished.
final class CairoCanvas {
  let surface: OpaquePointer
  let cr: OpaquePointer
  let sink: ByteSink

  private init(surface: OpaquePointer, sink: ByteSink, operation: String) throws {
    self.sink = sink
    do {
      try PlottingError.check(cairo_surface_status(surface), operation)
    } catch {
      cairo_surface_destroy(surface)
      throw error
    }
    let cr = cairo_create(surface)
    guard let cr else {
      cairo_surface_destroy(surface)
      throw PlottingError(status: CAIRO_STATUS_NO_MEMORY, operation: operation)
    }
    self.surface = surface
    self.cr = cr
    try PlottingError.check(cairo_status(cr), operation)
    Self.configureText(cr)
  }

  deinit {
    cairo_destroy(cr)
    cairo_surface_destroy(surface)
  }

  /// An ARGB32 image surface of `width`×`height` device pixels.
  static func image(width: Int, height: Int) throws -> CairoCanvas {
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
    else { throw PlottingError(status: CAIRO_STATUS_NO_MEMORY, operation: "creating the image surface") }
    return try CairoCanvas(surface: surface, sink: ByteSink(), operation: "creating the image surface")
  }

  /// An SVG surface of `width`×`height` CSS pixels writing into a fresh sink.
  static func svg(width: Double, height: Double) throws -> CairoCanvas {
    let sink = ByteSink()
    let closure = Unmanaged.passUnretained(sink).toOpaque()
    guard let surface = cairo_svg_surface_create_for_stream(byteSinkWrite, closure, width, height)
    else { throw PlottingError(status: CAIRO_STATUS_NO_MEMORY, operation: "creating the SVG surface") }
    cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
    cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX)
    return try CairoCanvas(surface: surface, sink: sink, operation: "creating the SVG surface")
  }

  /// Text is laid out without hinting, so the PNG and SVG renderings of a figure (and
  /// any scale of the PNG) measure every string identically.
  private static func configureText(_ cr: OpaquePointer) {
    guard let options = cairo_font_options_create() else { return }
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
    cairo_set_font_options(cr, options)
    cairo_font_options_destroy(options)
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
  }

  /// Throws if the context entered an error state while drawing.
  func checkStatus(_ operation: String) throws {
    try PlottingError.check(cairo_status(cr), operation)
  }

  /// Finishes the surface (flushing an SVG stream) and returns the bytes written so far.
  func finish() throws -> [UInt8] {
    try checkStatus("drawing the figure")
    cairo_surface_finish(surface)
    try PlottingError.check(cairo_surface_status(surface), "finishing the surface")
    return sink.bytes
  }

  /// Encodes an image surface as PNG.
  func pngBytes() throws -> [UInt8] {
    try checkStatus("drawing the figure")
    cairo_surface_flush(surface)
    let png = ByteSink()
    let closure = Unmanaged.passUnretained(png).toOpaque()
    let status = withExtendedLifetime(png) {
      cairo_surface_write_to_png_stream(surface, byteSinkWrite, closure)
    }
    try PlottingError.check(status, "encoding the PNG")
    return png.bytes
  }
}
