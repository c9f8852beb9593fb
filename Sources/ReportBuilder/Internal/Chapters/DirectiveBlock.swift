/// A block directive as written: a fenced code block whose info string is
/// `{name} argument`, with `key: value` lines as its body.
///
/// This is the untyped layer: it knows positions, not meanings. The typed
/// directives (``ExperimentDirective``, ``FigureDirective``, ``TableDirective``)
/// are read from it by ``DirectiveReader``.
struct DirectiveBlock: Hashable, Sendable {
  /// One `key: value` line of the body.
  struct Entry: Hashable, Sendable {
    var key: String
    var value: String
    /// Position of the key's first character.
    var location: SourceLocation
    /// Position of the value's first character (just past the key when empty).
    var valueLocation: SourceLocation
  }

  /// One body line that is not blank or a comment, for directives whose body is not
  /// `key: value` lines (e.g. `{claims}`).
  struct Line: Hashable, Sendable {
    /// The line without its trailing comment, trimmed.
    var text: String
    /// Position of its first character.
    var location: SourceLocation
    /// Its trailing `# comment`, without the `#`, if any.
    var comment: String? = nil
  }

  /// The name between the braces, e.g. `figure`.
  var name: String
  /// The rest of the info string, trimmed (an id or label), possibly empty.
  var argument: String
  /// Position of the opening `{`.
  var location: SourceLocation
  /// Position of the argument's first character (or of the end of the info string).
  var argumentLocation: SourceLocation
  /// The body lines that are entries, in order (for directives with `key: value` bodies).
  var entries: [Entry]
  /// The body lines as text (for the other directives).
  var lines: [Line] = []
  /// The directive exactly as written (fence, info string, body, fence), for `echo: true`.
  var source: String

  /// A readable one-entry-per-line dump, used by golden parse tests.
  var dump: String {
    var lines = ["{\(name)} \"\(argument)\" @\(location.line):\(location.column)"
      + " arg@\(argumentLocation.line):\(argumentLocation.column)"]
    for entry in entries {
      lines.append("  \(entry.key) = \"\(entry.value)\" @\(entry.location.line):\(entry.location.column)"
        + " value@\(entry.valueLocation.line):\(entry.valueLocation.column)")
    }
    return lines.joined(separator: "\n")
  }
}
