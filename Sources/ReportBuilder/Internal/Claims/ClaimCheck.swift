import Foundation
import GANEngine

/// Evaluates every claim of the manuscript on the runs' results.
enum ClaimCheck {
  /// One claim and what it measured.
  struct Outcome: Sendable {
    var claim: Claim
    var evaluation: ClaimEvaluation

    /// `chapters/NAME.md:LINE:COL: claim does not hold: EXPR (measured: …)`, without
    /// the severity, which the caller adds.
    var failureText: String {
      "claim does not hold: \(claim.text) (measured: \(evaluation.measured))"
    }
  }

  /// Every claim in site order, with its evaluation.
  static func evaluate(_ manuscript: Manuscript, index: RunIndex) -> [Outcome] {
    manuscript.claims.map { Outcome(claim: $0, evaluation: $0.expression.evaluate(runs: index.results)) }
  }

  /// `data/claims.json`: every claim with whether it holds, sorted by chapter, line and
  /// column; sorted keys, so equal claims give equal bytes.
  static func file(_ outcomes: [Outcome]) throws -> [UInt8] {
    struct Entry: Encodable {
      var chapter: String
      var line: Int
      var column: Int
      var expression: String
      var holds: Bool
      var measured: String
    }
    struct File: Encodable {
      var claims: [Entry]
    }
    let entries = outcomes.map {
      Entry(
        chapter: $0.claim.chapter, line: $0.claim.location.line, column: $0.claim.location.column,
        expression: $0.claim.text, holds: $0.evaluation.holds, measured: $0.evaluation.measured)
    }.sorted { ($0.chapter, $0.line, $0.column) < ($1.chapter, $1.line, $1.column) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return [UInt8](try encoder.encode(File(claims: entries))) + [0x0a]
  }
}
