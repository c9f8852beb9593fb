/// One claim of a chapter, parsed: where it is written and what it says.
struct Claim: Sendable {
  /// Position of the claim: the `{` of an inline `{claim}`, or the first character of
  /// its line in a `{claims}` block.
  var location: SourceLocation
  /// Position of the claim's text (offsets of syntax errors count from here).
  var textLocation: SourceLocation
  /// The claim as written, trimmed.
  var text: String
  var expression: ClaimExpression
  /// What the claim says in words (a `{claims}` line's `# comment`).
  var note: String? = nil

  /// The chapter's page name, e.g. `02-introducing-bn` for `chapters/02-introducing-bn.md`.
  var chapter: String {
    let file = location.file.split(separator: "/").last.map(String.init) ?? location.file
    return file.hasSuffix(".md") ? String(file.dropLast(3)) : file
  }

  /// Parses `text` written at `textLocation`; a syntax error is recorded at its column.
  static func parse(
    _ text: String, at location: SourceLocation, textLocation: SourceLocation, diagnostics: inout DiagnosticList
  ) -> Claim? {
    switch ClaimExpression.parse(text) {
    case .success(let expression):
      return Claim(location: location, textLocation: textLocation, text: text.trimmed, expression: expression)
    case .failure(let error):
      var at = textLocation
      at.column += error.offset
      diagnostics.error(at, "\(error.message) in claim `\(text.trimmed)`")
      return nil
    }
  }

  /// Where an operand is written.
  func location(of operand: ClaimOperand) -> SourceLocation {
    var at = textLocation
    at.column += operand.offset
    return at
  }
}
