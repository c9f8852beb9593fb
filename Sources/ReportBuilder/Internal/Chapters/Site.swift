import Foundation
import GANEngine

/// Every chapter of the report, parsed and cross-checked: experiments, numbered
/// figures and tables, and the typed content of each directive.
final class Site {
  /// A directive's typed content (`nil` entries had errors).
  enum Content {
    case experiment(ExperimentDirective)
    case figure(FigureDirective)
    case table(TableDirective)
  }

  /// Where a figure or table lives, and its site-wide number.
  struct Numbered {
    var label: String
    var chapter: String
    var number: Int
    var isFigure: Bool
    var location: SourceLocation

    var name: String { "\(isFigure ? "Figure" : "Table") \(number)" }
  }

  let chapters: [Chapter]
  /// Per chapter, per directive site: its typed content.
  private(set) var contents: [[Content?]] = []
  /// Experiments in site order.
  private(set) var experiments: [ExperimentDirective] = []
  private(set) var experimentByID: [String: ExperimentDirective] = [:]
  /// Every experiment id written, also by directives with errors.
  private var declaredExperiments: [String: SourceLocation] = [:]
  private(set) var numbered: [String: Numbered] = [:]
  private(set) var figures: [FigureDirective] = []
  private(set) var tables: [TableDirective] = []
  let title: String

  static let directiveNames = ["experiment", "figure", "table"]

  /// Reads every `*.md` in `directory` (sorted by name) and checks it. Errors go to
  /// `diagnostics`; the site is still returned so that all errors can be collected.
  static func load(directory: URL, diagnostics: inout DiagnosticList) -> Site {
    let folderName = directory.standardizedFileURL.lastPathComponent
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
    } catch {
      diagnostics.error(
        SourceLocation(file: folderName, line: 0, column: 0),
        "cannot read the chapters folder: \(error.localizedDescription)")
      return Site(chapters: [], diagnostics: &diagnostics)
    }
    if names.isEmpty {
      diagnostics.error(
        SourceLocation(file: folderName, line: 0, column: 0), "no chapters (`*.md` files) found")
    }
    var chapters: [Chapter] = []
    for name in names {
      let displayPath = "\(folderName)/\(name)"
      let url = directory.appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        diagnostics.error(SourceLocation(file: displayPath, line: 1, column: 1), "cannot read file")
        continue
      }
      guard let text = String(validating: data, as: UTF8.self) else {
        diagnostics.error(SourceLocation(file: displayPath, line: 1, column: 1), "file is not valid UTF-8")
        continue
      }
      chapters.append(Chapter(
        name: String(name.dropLast(3)), displayPath: displayPath, source: text,
        diagnostics: &diagnostics))
    }
    return Site(chapters: chapters, diagnostics: &diagnostics)
  }

  private init(chapters: [Chapter], diagnostics: inout DiagnosticList) {
    self.chapters = chapters
    title = chapters.lazy.compactMap(\.reportTitle).first ?? "Report"
    readDirectives(diagnostics: &diagnostics)
    checkReferences(diagnostics: &diagnostics)
  }

  // MARK: - Directives

  private func readDirectives(diagnostics: inout DiagnosticList) {
    var figureCount = 0, tableCount = 0
    for chapter in chapters {
      var row: [Content?] = []
      for site in chapter.directives {
        let block = site.block
        let hasValidName = isValidIdentifier(block.argument)
        var content: Content?
        var duplicate = false
        switch block.name {
        case "experiment":
          // Ids are claimed even by directives with errors, so that duplicates are
          // found and references to a broken experiment do not cascade.
          if hasValidName {
            if let first = declaredExperiments[block.argument] {
              diagnostics.error(
                block.argumentLocation, "duplicate experiment id `\(block.argument)`",
                note: (first, "`\(block.argument)` first defined here"))
              duplicate = true
            } else {
              declaredExperiments[block.argument] = block.argumentLocation
            }
          }
          if var experiment = ExperimentDirective.read(block, diagnostics: &diagnostics),
             validate(&experiment, diagnostics: &diagnostics), !duplicate {
            experiments.append(experiment)
            experimentByID[experiment.id] = experiment
            content = .experiment(experiment)
          }
        case "figure":
          if hasValidName, !register(block.argument, chapter: chapter.name, isFigure: true, count: &figureCount,
                                     location: block.argumentLocation, diagnostics: &diagnostics) {
            duplicate = true
          }
          if let figure = FigureDirective.read(block, diagnostics: &diagnostics), !duplicate {
            figures.append(figure)
            content = .figure(figure)
          }
        case "table":
          if hasValidName, !register(block.argument, chapter: chapter.name, isFigure: false, count: &tableCount,
                                     location: block.argumentLocation, diagnostics: &diagnostics) {
            duplicate = true
          }
          if let table = TableDirective.read(block, diagnostics: &diagnostics), !duplicate {
            tables.append(table)
            content = .table(table)
          }
        default:
          diagnostics.error(
            block.location,
            "unknown directive `{\(block.name)}`" + Suggestion.hint(for: block.name, in: Self.directiveNames))
        }
        row.append(content)
      }
      contents.append(row)
    }
  }

  /// The engine's own validation of the configuration, reported at the offending key.
  private func validate(_ experiment: inout ExperimentDirective, diagnostics: inout DiagnosticList) -> Bool {
    do {
      try experiment.config.validate()
      return true
    } catch let error as ConfigurationError {
      let key = error.field.replacingOccurrences(of: "_", with: "-")
      let location = experiment.block.entries.first { $0.key == key }?.location ?? experiment.block.location
      diagnostics.error(location, "invalid `\(key)`: \(error.message)")
      return false
    } catch {
      diagnostics.error(experiment.block.location, "invalid configuration: \(error)")
      return false
    }
  }

  private func register(
    _ label: String, chapter: String, isFigure: Bool, count: inout Int, location: SourceLocation,
    diagnostics: inout DiagnosticList
  ) -> Bool {
    if let first = numbered[label] {
      diagnostics.error(
        location, "duplicate label `\(label)`", note: (first.location, "`\(label)` first defined here"))
      return false
    }
    count += 1
    numbered[label] = Numbered(label: label, chapter: chapter, number: count, isFigure: isFigure, location: location)
    return true
  }

  // MARK: - References

  private func checkReferences(diagnostics: inout DiagnosticList) {
    let ids = declaredExperiments.keys.sorted()
    func experiment(_ id: String, at location: SourceLocation) -> ExperimentDirective? {
      if let found = experimentByID[id] { return found }
      if declaredExperiments[id] != nil { return nil }  // declared with errors: already reported
      diagnostics.error(location, "unknown experiment `\(id)`" + Suggestion.hint(for: id, in: ids))
      return nil
    }
    for figure in figures {
      let found = figure.experiments.compactMap { experiment($0, at: figure.experimentsLocation) }
      if case .seed(let seed) = figure.seed {
        for item in found where !item.seeds.contains(seed) {
          diagnostics.error(
            figure.seedLocation,
            "seed \(seed) is not a seed of experiment `\(item.id)` (seeds: \(Self.describe(item.seeds)))")
        }
      }
      if figure.kind == .featureMeans || figure.kind == .lag {
        for item in found where !Self.hasFirstLayerBN(item.config) {
          diagnostics.error(
            figure.experimentsLocation,
            "`kind: \(figure.kind.rawValue)` needs batch norm in D's first layer, but experiment"
              + " `\(item.id)` has `norm: \(item.config.norm.rawValue)`"
              + (item.config.norm == .batch ? ", `norm-layers: \(item.config.normLayers.rawValue)`" : ""))
        }
      }
    }
    for table in tables {
      for id in table.experiments { _ = experiment(id, at: table.experimentsLocation) }
    }
    for chapter in chapters {
      for site in chapter.roles { check(site.role.name, site.role.content, at: site.role.location, &diagnostics) }
    }
    let captions: [(String, DirectiveBlock)] = figures.map { ($0.caption, $0.block) } + tables.map { ($0.caption, $0.block) }
    for (caption, block) in captions {
      guard let entry = block.entries.first(where: { $0.key == "caption" }) else { continue }
      for role in InlineMarkdown.roles(in: caption) {
        var location = entry.valueLocation
        location.column += role.columnOffset
        guard let name = InlineRole.Name(rawValue: role.name) else {
          diagnostics.error(
            location,
            "unknown role `{\(role.name)}`" + Suggestion.hint(for: role.name, in: InlineRole.Name.allCases.map(\.rawValue)))
          continue
        }
        check(name, role.content, at: location, &diagnostics)
      }
    }
  }

  private func check(_ name: InlineRole.Name, _ content: String, at location: SourceLocation,
                     _ diagnostics: inout DiagnosticList) {
    switch name {
    case .value:
      switch ValueReference.parse(content) {
      case .failure(let error):
        diagnostics.error(location, error.message)
      case .success(let reference):
        guard let item = experimentByID[reference.experiment] else {
          if declaredExperiments[reference.experiment] != nil { return }
          diagnostics.error(
            location,
            "unknown experiment `\(reference.experiment)`" + Suggestion.hint(for: reference.experiment, in: declaredExperiments.keys.sorted()))
          return
        }
        if case .seed(let seed) = reference.statistic, !item.seeds.contains(seed) {
          diagnostics.error(
            location, "seed \(seed) is not a seed of experiment `\(item.id)` (seeds: \(Self.describe(item.seeds)))")
        }
      }
    case .ref:
      let label = content.trimmed
      if numbered[label] == nil {
        diagnostics.error(location, "unknown label `\(label)`" + Suggestion.hint(for: label, in: numbered.keys.sorted()))
      }
    case .demo:
      if DemoValues.parse(content) == nil {
        diagnostics.error(location, "`{demo}` needs at least two numbers separated by commas, got `\(content)`")
      }
    }
  }

  static func hasFirstLayerBN(_ config: ExperimentConfig) -> Bool {
    config.norm == .batch && config.normLayers != .second
  }

  /// `1-5` for consecutive seeds, else `1, 3, 7`.
  static func describe(_ seeds: [UInt64]) -> String {
    if seeds.count > 2, let first = seeds.first, let last = seeds.last,
       seeds == Array(first...last) {
      return "\(first)-\(last)"
    }
    return seeds.map(String.init).joined(separator: ", ")
  }
}

/// `{demo}` values: a comma-separated list of numbers, normalized by the engine's BN.
enum DemoValues {
  static func parse(_ text: String) -> [Float]? {
    let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmed) }
    guard numbers.count >= 2, numbers.allSatisfy({ $0?.isFinite == true }) else { return nil }
    return numbers.compactMap { $0 }
  }
}
