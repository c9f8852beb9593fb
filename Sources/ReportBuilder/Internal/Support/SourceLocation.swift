/// A position in a chapter file: 1-based line and 1-based byte column.
struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The file as it is shown to the user, e.g. `chapters/01-stage.md`.
  var file: String
  var line: Int
  var column: Int

  var description: String { "\(file):\(line):\(column)" }

  static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.file, a.line, a.column) < (b.file, b.line, b.column)
  }
}
