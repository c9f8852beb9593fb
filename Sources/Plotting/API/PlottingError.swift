import CCairo

/// A failure reported by Cairo while rendering a figure.
///
/// Rendering a well-formed ``Figure`` only fails when Cairo itself does (out of
/// memory, a surface too large, a write error), so callers usually just propagate it.
public struct PlottingError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The raw `cairo_status_t` value.
  public let code: Int32
  /// Cairo's description of the status (`cairo_status_to_string`).
  public let message: String
  /// What the renderer was doing, e.g. `"creating the PNG surface"`.
  public let operation: String

  /// A one-line description: `"plotting: <operation>: <message> (cairo status <code>)"`.
  public var description: String {
    "plotting: \(operation): \(message) (cairo status \(code))"
  }

  init(status: cairo_status_t, operation: String) {
    self.code = Int32(bitPattern: status.rawValue)
    self.message = String(cString: cairo_status_to_string(status))
    self.operation = operation
  }

  /// Throws if `status` is not `CAIRO_STATUS_SUCCESS`.
  static func check(_ status: cairo_status_t, _ operation: @autoclosure () -> String) throws {
    if status != CAIRO_STATUS_SUCCESS {
      throw PlottingError(status: status, operation: operation())
    }
  }
}
