import CCairo

/// Pixels of a decoded PNG, straight (non-premultiplied) RGBA, row-major from the top.
///
/// Used to check renderings: decode the renderer's own PNG bytes with Cairo and look
/// at the colours where the data should be.
struct RasterImage {
  let width: Int
  let height: Int
  /// `width × height` pixels.
  let pixels: [(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)]

  /// Decodes PNG bytes (via `cairo_image_surface_create_from_png_stream`).
  init(png: [UInt8]) throws {
    let source = ByteSource(png)
    let closure = Unmanaged.passUnretained(source).toOpaque()
    guard let surface = withExtendedLifetime(source, {
      cairo_image_surface_create_from_png_stream(byteSourceRead, closure)
    }) else {
      throw PlottingError(status: CAIRO_STATUS_NO_MEMORY, operation: "decoding a PNG")
    }
    defer { cairo_surface_destroy(surface) }
    try PlottingError.check(cairo_surface_status(surface), "decoding a PNG")
    cairo_surface_flush(surface)
    let width = Int(cairo_image_surface_get_width(surface))
    let height = Int(cairo_image_surface_get_height(surface))
    let stride = Int(cairo_image_surface_get_stride(surface))
    let format = cairo_image_surface_get_format(surface)
    guard let data = cairo_image_surface_get_data(surface) else {
      throw PlottingError(status: CAIRO_STATUS_NULL_POINTER, operation: "reading PNG pixels")
    }
    var pixels: [(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)] = []
    pixels.reserveCapacity(width * height)
    for y in 0..<height {
      let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
      for x in 0..<width {
        // ARGB32 / RGB24: native-endian 32-bit words, colour premultiplied by alpha.
        let word = row[x]
        let alpha = format == CAIRO_FORMAT_RGB24 ? 255 : UInt32((word >> 24) & 0xFF)
        func channel(_ shift: UInt32) -> UInt8 {
          let premultiplied = (word >> shift) & 0xFF
          return alpha == 0 ? 0 : UInt8(min(255, (premultiplied * 255 + alpha / 2) / alpha))
        }
        pixels.append((channel(16), channel(8), channel(0), UInt8(alpha)))
      }
    }
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8) {
    pixels[y * width + x]
  }
}

/// A byte array that Cairo's PNG reader consumes front to back.
private final class ByteSource {
  let bytes: [UInt8]
  var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// `cairo_read_func_t` reading from the ``ByteSource`` passed as closure.
private func byteSourceRead(
  _ closure: UnsafeMutableRawPointer?, _ data: UnsafeMutablePointer<UInt8>?, _ length: UInt32
) -> cairo_status_t {
  guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
  let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
  let count = Int(length)
  guard source.position + count <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
  source.bytes.withUnsafeBufferPointer { buffer in
    if let base = buffer.baseAddress {
      data.update(from: base + source.position, count: count)
    }
  }
  source.position += count
  return CAIRO_STATUS_SUCCESS
}
