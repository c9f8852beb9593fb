import Foundation

/// What changed between two built sites: run data, `{value}` texts, claims, table cells
/// and figures, grouped by chapter, with old → new values.
///
/// ```swift
/// let diff = try SiteDiff.compare(old: URL(fileURLWithPath: "build-old"), new: URL(fileURLWithPath: "build"))
/// print(diff.text)
/// if diff.claimsChangedTruth > 0 { /* a sentence of the report became false, or true */ }
/// ```
public struct SiteDiff: Sendable, Equatable {
  /// What a change is about.
  public enum Kind: String, Sendable, CaseIterable {
    case source = "source"
    case run = "runs"
    case value = "values"
    case claim = "claims"
    case cell = "table cells"
    case figure = "figures"

    /// `1 value`, `2 table cells`.
    func count(_ n: Int) -> String {
      let singular = ["source": "chapter source", "runs": "run", "values": "value", "claims": "claim",
                      "table cells": "table cell", "figures": "figure"][rawValue] ?? rawValue
      let plural = self == .source ? "chapter sources" : rawValue
      return "\(n) \(n == 1 ? singular : plural)"
    }
  }

  /// One changed item.
  public struct Change: Sendable, Equatable {
    /// The chapter it belongs to (`chapters/NAME.md`), or `site` for site-wide facts.
    public var chapter: String
    public var kind: Kind
    /// What it is: `12:31 bn.d_loss`, `tab-metrics: bn, D loss`, `fig-bn`, `bn-s1`.
    public var item: String
    /// Old → new, e.g. `0.693 ± 0.002 → 0.701 ± 0.003`.
    public var detail: String
  }

  /// Every change, by chapter (site-wide facts first), then kind, then document order.
  public var changes: [Change]
  /// Site-wide facts that changed (engine version, BLAS kernel, toolchain).
  public var site: [String]
  /// Other files whose bytes changed (pages, style sheet), sorted.
  public var otherFiles: [String]
  /// Claims that held in one site and not in the other.
  public var claimsChangedTruth: Int
  /// What could not be compared (e.g. a site built before `data/values.json` existed).
  public var notes: [String]

  /// Whether the two sites' contents are the same.
  public var isEmpty: Bool { changes.isEmpty && site.isEmpty && otherFiles.isEmpty }

  /// Compares the built sites in `old` and `new`.
  ///
  /// - Throws: ``SiteDiffError`` when a folder is not a built site or one of its data files
  ///   is malformed.
  public static func compare(old: URL, new: URL) throws -> SiteDiff {
    try SiteComparison(old: SiteSnapshot(root: old), new: SiteSnapshot(root: new)).diff()
  }

  /// The report `report diff` prints.
  public var text: String {
    var lines: [String] = []
    lines.append(contentsOf: notes.map { "note: \($0)" })
    if isEmpty {
      lines.append("No differences.")
      return lines.joined(separator: "\n")
    }
    if !site.isEmpty {
      lines.append("site")
      lines.append(contentsOf: site.map { "  \($0)" })
    }
    var chapter: String?
    var kind: Kind?
    for change in changes {
      if change.chapter != chapter {
        lines.append("")
        lines.append(change.chapter)
        chapter = change.chapter
        kind = nil
      }
      if change.kind == .source {
        lines.append("  source \(change.detail)")
        kind = .source
        continue
      }
      if change.kind != kind {
        lines.append("  \(change.kind.rawValue):")
        kind = change.kind
      }
      lines.append(contentsOf: Self.wrap("    \(change.item): ", change.detail))
    }
    if !otherFiles.isEmpty {
      lines.append("")
      lines.append("other files changed: " + otherFiles.joined(separator: ", "))
    }
    lines.append("")
    var counts: [String] = []
    for kind in Kind.allCases {
      let n = changes.filter { $0.kind == kind }.count
      guard n > 0 else { continue }
      counts.append(kind.count(n))
    }
    let truth = claimsChangedTruth == 0 ? "no claim changed its truth"
      : claimsChangedTruth == 1 ? "1 claim changed its truth" : "\(claimsChangedTruth) claims changed their truth"
    lines.append("changed: " + (counts.isEmpty ? "nothing in the chapters" : counts.joined(separator: ", "))
      + "; \(truth).")
    return lines.joined(separator: "\n")
  }
}

extension SiteDiff {
  /// `head` + `detail`, broken after `; ` so that lines stay near 100 columns; the
  /// continuation lines are indented under the detail.
  static func wrap(_ head: String, _ detail: String, width: Int = 100) -> [String] {
    let indent = String(repeating: " ", count: head.count)
    var lines: [String] = []
    var line = head
    let parts = detail.components(separatedBy: "; ")
    for (index, part) in parts.enumerated() {
      let piece = part + (index < parts.count - 1 ? ";" : "")
      if line.count > head.count && line.count + 1 + piece.count > width {
        lines.append(line)
        line = indent + piece
      } else {
        line += (line.count > head.count ? " " : "") + piece
      }
    }
    lines.append(line)
    return lines
  }
}

/// `report diff` was given something that is not a built site, or a site file is malformed.
public struct SiteDiffError: Error, CustomStringConvertible, Sendable {
  /// One line, without the `error: ` prefix.
  public var message: String

  public var description: String { "error: \(message)" }
}
