import CCairo

/// A growable byte buffer that Cairo's stream callbacks append to.
final class ByteSink {
  var bytes: [UInt8] = []
}

/// `cairo_write_func_t` appending to the ``ByteSink`` passed as closure.
func byteSinkWrite(
  _ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: UInt32
) -> cairo_status_t {
  guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
  let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
  if let data, length > 0 {
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
  }
  return CAIRO_STATUS_SUCCESS
}
