import Foundation

/// The files in `Sources/ReportBuilder/Resources`: the stylesheet every page links
/// (`assets/style.css`) and the page shell the renderer fills in. They are plain files
/// so that a designer can edit them without touching Swift.
struct SiteResources: Sendable {
  /// The stylesheet's bytes, published as `assets/style.css`.
  var stylesheet: [UInt8]
  /// The page shell with `{{title}}`, `{{site-title}}`, `{{sidebar}}` and `{{main}}`.
  var pageShell: PageShell

  /// Reads both files from the builder's resource bundle.
  ///
  /// - Throws: ``BuildError/io(path:reason:)`` when a file is missing (a broken install).
  static func load() throws -> SiteResources {
    SiteResources(
      stylesheet: Array(try text("style.css").utf8), pageShell: PageShell(template: try text("page.html")))
  }

  private static func text(_ name: String) throws -> String {
    let folder = Bundle.module.url(forResource: "Resources", withExtension: nil)
      ?? Bundle.module.bundleURL.appendingPathComponent("Resources")
    let url = folder.appendingPathComponent(name)
    do {
      return try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw BuildError.io(path: url.path, reason: "cannot read the builder's resource: \(error.localizedDescription)")
    }
  }
}

/// An HTML page template with `{{name}}` placeholders.
struct PageShell: Sendable {
  private enum Piece: Sendable {
    case text(String)
    case slot(String)
  }

  private let pieces: [Piece]

  /// Splits `template` at its `{{name}}` placeholders.
  init(template: String) {
    var pieces: [Piece] = []
    var rest = Substring(template)
    while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
      pieces.append(.text(String(rest[..<open.lowerBound])))
      pieces.append(.slot(String(rest[open.upperBound..<close.lowerBound])))
      rest = rest[close.upperBound...]
    }
    pieces.append(.text(String(rest)))
    self.pieces = pieces
  }

  /// The names of the placeholders, in order.
  var slots: [String] {
    pieces.compactMap { if case .slot(let name) = $0 { name } else { nil } }
  }

  /// The page with each placeholder replaced by `values[name]` (HTML, inserted as it
  /// is, never scanned again); an unknown placeholder becomes empty.
  func fill(_ values: [String: String]) -> String {
    var out = ""
    for piece in pieces {
      switch piece {
      case .text(let text): out += text
      case .slot(let name): out += values[name] ?? ""
      }
    }
    return out
  }
}
