/// `{claims}`: statements about the runs that the build checks, one per line
/// (`# comment` allowed), shown in the page as a checked list.
///
/// ````markdown
/// ```{claims}
/// bn.shift_x.above-1 == bn.seeds   # every seed drifts right
/// ln-shift.shift_x.max < 1
/// ```
/// ````
struct ClaimsDirective: Directive {
  static let name = "claims"
  static let keys: [String] = []
  static let bodyIsEntries = false

  var claims: [Claim]
  var block: DirectiveBlock
  var echo: Bool { false }

  static func read(_ block: DirectiveBlock, diagnostics: inout DiagnosticList) -> ClaimsDirective? {
    if !block.argument.isEmpty {
      diagnostics.error(block.argumentLocation, "`{claims}` takes no argument; write one claim per line in its body")
    }
    if block.lines.isEmpty {
      diagnostics.error(block.location, "`{claims}` has no claims: write one per line, e.g. `bn.shift_x.min > 1`")
    }
    // The claims that parse are kept even when others do not, so that their paths are
    // checked too and every mistake is reported at once (any error stops the build).
    let claims = block.lines.compactMap { line -> Claim? in
      var claim = Claim.parse(line.text, at: line.location, textLocation: line.location, diagnostics: &diagnostics)
      claim?.note = line.comment
      return claim
    }
    return ClaimsDirective(claims: claims, block: block)
  }

  func check(in manuscript: Manuscript, diagnostics: inout DiagnosticList) {
    for claim in claims { manuscript.checkPaths(of: claim, diagnostics: &diagnostics) }
  }

  func html(in content: ContentRenderer) -> String { content.claimsHTML(self) }
}
