import GANEngine

/// HTML of claims: the inline `{claim}` (its measured left-hand value with a mark that
/// shows the claim on hover) and the checked list of a `{claims}` block.
extension ContentRenderer {
  /// The experiment results a claim reads.
  func claimRuns(_ id: String) -> [(seed: UInt64, result: RunResult)] {
    index.results(id)
  }

  func evaluate(_ claim: Claim) -> ClaimEvaluation {
    claim.expression.evaluate(runs: claimRuns)
  }

  /// An inline `{claim}`: the measured value, linked to its experiment's provenance.
  func claimRoleHTML(_ role: InlineRole) -> String {
    guard case .success(let expression) = ClaimExpression.parse(role.content) else { return "" }
    let evaluation = expression.evaluate(runs: claimRuns)
    var value = escape(evaluation.shown)
    if case .path(let reference) = expression.leftmost.value, let href = provenanceLink(reference.experiment) {
      value = "<a class=\"value\" href=\"\(href)\">\(value)</a>"
    }
    return "<span class=\"claim\(evaluation.holds ? "" : " false")\">\(value)"
      + mark(text: role.content.trimmed, evaluation) + "</span>"
  }

  /// A `{claims}` block: each claim with its mark and what was measured.
  func claimsHTML(_ directive: ClaimsDirective) -> String {
    var html = "<aside class=\"claims\">\n<p class=\"claims-title\">Claims checked by the build</p>\n<ul>\n"
    for claim in directive.claims {
      let evaluation = evaluate(claim)
      html += "<li class=\"\(evaluation.holds ? "holds" : "false")\">"
        + mark(text: claim.text, evaluation)
        + (claim.note.map { " <span class=\"claim-note\">\(escape($0)):</span>" } ?? "")
        + " <code>\(escape(claim.text))</code>"
        + " <span class=\"measured\">measured: \(escape(evaluation.measured))</span>"
      let links = Set(claim.expression.operands.compactMap { operand -> String? in
        if case .path(let reference) = operand.value { return reference.experiment }
        return nil
      }).sorted()
      if !links.isEmpty {
        html += " <span class=\"claim-runs\">("
          + links.compactMap { id in provenanceLink(id).map { "<a href=\"\($0)\">\(escape(id))</a>" } }
            .joined(separator: ", ")
          + ")</span>"
      }
      html += "</li>\n"
    }
    return html + "</ul>\n</aside>\n"
  }

  /// The small mark after a claim: ✓ when it holds, ✗ (and a warning colour) when not.
  private func mark(text: String, _ evaluation: ClaimEvaluation) -> String {
    let verdict = evaluation.holds ? "Checked claim" : "Claim does not hold"
    let tip = "\(verdict): \(text) (measured: \(evaluation.measured))"
    return "<span class=\"claim-mark\" tabindex=\"0\" role=\"note\" aria-label=\"\(escape(tip))\""
      + " data-claim=\"\(escape(tip))\">\(evaluation.holds ? "✓" : "✗")</span>"
  }
}
