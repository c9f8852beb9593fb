import Foundation

/// `data/values.json`: every number the pages show in prose and tables, as rendered, with
/// where it comes from, plus which runs each experiment and figure uses. `report diff`
/// compares two sites through it. Sorted keys and document order: equal sites give
/// equal bytes.
struct ValuesFile: Codable, Equatable {
  /// One `{value}` role, in prose or in a caption.
  struct Value: Codable, Equatable {
    /// The chapter as diagnostics name it, e.g. `chapters/02-introducing-bn.md`.
    var chapter: String
    var line: Int
    var column: Int
    /// The role's text, e.g. `bn.d_loss.mean:2`.
    var source: String
    /// What the page shows, e.g. `0.69`.
    var text: String
  }

  /// One cell of a `{table}`.
  struct Cell: Codable, Equatable {
    var chapter: String
    var table: String
    /// The row's key: an experiment id, `bn s3` in a per-seed table, `group 1 alone`.
    var row: String
    var column: String
    var text: String
  }

  /// The runs of an experiment or a figure, by the names of their `data/runs/*.json` files.
  struct Uses: Codable, Equatable {
    /// Experiment id or figure label.
    var name: String
    var chapter: String
    /// `bn-s1`, `bn-s2`, …
    var runs: [String]
  }

  var values: [Value]
  var cells: [Cell]
  var experiments: [Uses]
  var figures: [Uses]

  /// `bn-s3`: the name of a run's `data/runs/` file without `.json`.
  static func runName(experiment: String, seed: UInt64) -> String { "\(experiment)-s\(seed)" }

  init(values: [Value], cells: [Cell], experiments: [Uses], figures: [Uses]) {
    self.values = values; self.cells = cells; self.experiments = experiments; self.figures = figures
  }

  /// The values, cells and run uses of a built site, computed as the pages render them.
  init(manuscript: Manuscript, content: ContentRenderer) {
    var values: [Value] = []
    func add(_ location: SourceLocation, _ source: String) {
      guard let resolved = content.valueText(source) else { return }
      values.append(Value(
        chapter: location.file, line: location.line, column: location.column, source: source,
        text: resolved.text))
    }
    for chapter in manuscript.chapters {
      for found in chapter.roles where found.role.name == .value { add(found.role.location, found.role.content) }
    }
    let captions = manuscript.figures.map { ($0.caption, $0.block) } + manuscript.directives.compactMap { $0 as? TableDirective }.map { ($0.caption, $0.block) }
    for (caption, block) in captions {
      guard let entry = block.entries.first(where: { $0.key == "caption" }) else { continue }
      for role in InlineMarkdown.roles(in: caption) where role.name == InlineRole.Name.value.rawValue {
        var location = entry.valueLocation
        location.column += role.columnOffset
        add(location, role.content)
      }
    }
    self.values = values.sorted { ($0.chapter, $0.line, $0.column) < ($1.chapter, $1.line, $1.column) }

    cells = manuscript.directives.compactMap { $0 as? TableDirective }.flatMap { table -> [Cell] in
      let grid = TableGrid(table, manuscript: manuscript, runs: content.runs(of:))
      return grid.rows.flatMap { row in
        zip(grid.headers, row.cells).map { header, cell in
          Cell(chapter: table.block.location.file, table: table.label, row: row.key, column: header, text: cell.text)
        }
      }
    }
    func runs(_ ids: [String]) -> [String] {
      ids.compactMap { manuscript.experimentByID[$0] }.flatMap { experiment in
        experiment.seeds.map { Self.runName(experiment: experiment.id, seed: $0) }
      }
    }
    experiments = manuscript.experiments.map {
      Uses(name: $0.id, chapter: $0.block.location.file, runs: runs([$0.id]))
    }
    figures = manuscript.figures.map {
      Uses(name: $0.label, chapter: $0.block.location.file, runs: runs($0.experiments))
    }
  }

  func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return [UInt8](try encoder.encode(self)) + [0x0a]
  }
}
