import Foundation
import GANEngine

/// Every chapter of the report, parsed and cross-checked: experiments, numbered
/// figures and tables, and the typed content of each directive. (The pages made from
/// it are written by the renderers in `Site/`.)
struct Manuscript: Sendable {
  /// Where a figure or table lives, and its site-wide number.
  struct Numbered: Sendable {
    var label: String
    var chapter: String
    var number: Int
    var isFigure: Bool
    var location: SourceLocation

    var name: String { "\(isFigure ? "Figure" : "Table") \(number)" }
  }

  let chapters: [Chapter]
  /// Per chapter, per directive site: its typed content (`nil` when it had errors).
  private(set) var contents: [[(any Directive)?]] = []
  /// Experiments in site order.
  private(set) var experiments: [ExperimentDirective] = []
  private(set) var experimentByID: [String: ExperimentDirective] = [:]
  /// Every experiment id written, also by directives with errors.
  private(set) var declaredExperiments: [String: SourceLocation] = [:]
  private(set) var numbered: [String: Numbered] = [:]
  /// Every claim without errors (inline and in `{claims}` blocks), in site order.
  private(set) var claims: [Claim] = []
  let title: String

  /// Every directive without errors, in site order.
  var directives: [any Directive] { contents.flatMap { $0.compactMap { $0 } } }
  /// The figures to render, in site order.
  var figures: [FigureDirective] { directives.flatMap(\.figures) }

  /// Reads every `*.md` in `directory` (sorted by name) and checks it. Experiments
  /// without a `kernel` key compute their products with `kernel`. Errors go to
  /// `diagnostics`; the site is still returned so that all errors can be collected.
  static func load(
    directory: URL, kernel: ProductKernel = .portable, diagnostics: inout DiagnosticList
  ) -> Manuscript {
    let folderName = directory.standardizedFileURL.lastPathComponent
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
    } catch {
      diagnostics.error(
        SourceLocation(file: folderName, line: 0, column: 0),
        "cannot read the chapters folder: \(error.localizedDescription)")
      return Manuscript(chapters: [], kernel: kernel, diagnostics: &diagnostics)
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
    return Manuscript(chapters: chapters, kernel: kernel, diagnostics: &diagnostics)
  }

  private init(chapters: [Chapter], kernel: ProductKernel, diagnostics: inout DiagnosticList) {
    self.chapters = chapters
    title = chapters.lazy.compactMap(\.reportTitle).first ?? "Report"
    readDirectives(kernel: kernel, diagnostics: &diagnostics)
    checkReferences(diagnostics: &diagnostics)
    collectClaims()
  }

  // MARK: - Directives

  private mutating func readDirectives(kernel: ProductKernel, diagnostics: inout DiagnosticList) {
    var counts = (figures: 0, tables: 0)
    for chapter in chapters {
      var row: [(any Directive)?] = []
      for site in chapter.directives {
        let block = site.block
        guard let kind = DirectiveRegistry.kind(named: block.name) else {
          diagnostics.error(
            block.location,
            "unknown directive `{\(block.name)}`" + Suggestion.hint(for: block.name, in: DirectiveRegistry.names))
          row.append(nil)
          continue
        }
        // Ids and labels are claimed even by directives with errors, so that duplicates
        // are found and references to a broken directive do not cascade.
        var duplicate = false
        if isValidIdentifier(block.argument) {
          switch kind.declares {
          case .nothing:
            break
          case .experiment:
            if let first = declaredExperiments[block.argument] {
              diagnostics.error(
                block.argumentLocation, "duplicate experiment id `\(block.argument)`",
                note: (first, "`\(block.argument)` first defined here"))
              duplicate = true
            } else {
              declaredExperiments[block.argument] = block.argumentLocation
            }
          case .numbered(let isFigure):
            duplicate = !register(
              block.argument, chapter: chapter.name, isFigure: isFigure, counts: &counts,
              location: block.argumentLocation, diagnostics: &diagnostics)
          }
        }
        var content: (any Directive)? = kind.read(block, diagnostics: &diagnostics)
        if duplicate { content = nil }
        if var experiment = content as? ExperimentDirective, !block.entries.contains(where: { $0.key == "kernel" }) {
          experiment.config.kernel = kernel
          content = experiment
        }
        if let experiment = content as? ExperimentDirective {
          experiments.append(experiment)
          experimentByID[experiment.id] = experiment
        }
        row.append(content)
      }
      contents.append(row)
    }
  }

  private mutating func register(
    _ label: String, chapter: String, isFigure: Bool, counts: inout (figures: Int, tables: Int),
    location: SourceLocation, diagnostics: inout DiagnosticList
  ) -> Bool {
    if let first = numbered[label] {
      diagnostics.error(
        location, "duplicate label `\(label)`", note: (first.location, "`\(label)` first defined here"))
      return false
    }
    let number: Int
    if isFigure {
      counts.figures += 1
      number = counts.figures
    } else {
      counts.tables += 1
      number = counts.tables
    }
    numbered[label] = Numbered(label: label, chapter: chapter, number: number, isFigure: isFigure, location: location)
    return true
  }

  // MARK: - References

  private func checkReferences(diagnostics: inout DiagnosticList) {
    for directive in directives { directive.check(in: self, diagnostics: &diagnostics) }
    for chapter in chapters {
      for site in chapter.roles { check(site.role.name, site.role.content, at: site.role.location, &diagnostics) }
    }
  }

  /// The experiment `id`, or `nil` with an error at `location` (none when the id was
  /// declared by a directive with errors, which were reported already).
  func experiment(_ id: String, at location: SourceLocation, diagnostics: inout DiagnosticList)
    -> ExperimentDirective? {
    if let found = experimentByID[id] { return found }
    if declaredExperiments[id] != nil { return nil }
    diagnostics.error(
      location, "unknown experiment `\(id)`" + Suggestion.hint(for: id, in: declaredExperiments.keys.sorted()))
    return nil
  }

  /// The claims of inline roles and `{claims}` blocks that parse, in site order.
  private mutating func collectClaims() {
    var ignored = DiagnosticList()
    for (chapter, row) in zip(chapters, contents) {
      var found: [Claim] = []
      for site in chapter.roles where site.role.name == .claim {
        if let claim = Claim.parse(
          site.role.content, at: site.role.location, textLocation: Self.contentLocation(of: site.role),
          diagnostics: &ignored) {
          found.append(claim)
        }
      }
      for case let block as ClaimsDirective in row.compactMap({ $0 }) { found += block.claims }
      claims += found.sorted { $0.location < $1.location }
    }
  }

  /// Where a role's code span text starts (`{name}` and one backtick after its `{`).
  static func contentLocation(of role: InlineRole) -> SourceLocation {
    var location = role.location
    location.column += role.name.rawValue.utf8.count + 3
    return location
  }

  /// Checks the experiments and seeds that a claim's paths name.
  func checkPaths(of claim: Claim, diagnostics: inout DiagnosticList) {
    for operand in claim.expression.operands {
      if case .path(let reference) = operand.value {
        checkValue(reference, at: claim.location(of: operand), &diagnostics)
      }
    }
  }

  /// Checks the roles in a directive's caption (`caption:` of `block`).
  func checkCaption(of block: DirectiveBlock, diagnostics: inout DiagnosticList) {
    guard let entry = block.entries.first(where: { $0.key == "caption" }) else { return }
    for role in InlineMarkdown.roles(in: entry.value) {
      var location = entry.valueLocation
      location.column += role.columnOffset
      guard let name = InlineRole.Name(rawValue: role.name) else {
        diagnostics.error(
          location,
          "unknown role `{\(role.name)}`" + Suggestion.hint(for: role.name, in: InlineRole.Name.allCases.map(\.rawValue)))
        continue
      }
      guard name != .claim else {
        diagnostics.error(location, "`{claim}` cannot be used in a caption; state it in the prose")
        continue
      }
      check(name, role.content, at: location, &diagnostics)
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
        checkValue(reference, at: location, &diagnostics)
      }
    case .claim:
      let textLocation = Self.contentLocation(
        of: InlineRole(name: .claim, content: content, location: location, index: 0))
      if let claim = Claim.parse(content, at: location, textLocation: textLocation, diagnostics: &diagnostics) {
        checkPaths(of: claim, diagnostics: &diagnostics)
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

  /// Checks that a `{value}` path's experiment and seed exist.
  private func checkValue(_ reference: ValueReference, at location: SourceLocation, _ diagnostics: inout DiagnosticList) {
    guard let item = experimentByID[reference.experiment] else {
      if declaredExperiments[reference.experiment] != nil { return }
      diagnostics.error(
        location,
        "unknown experiment `\(reference.experiment)`"
          + Suggestion.hint(for: reference.experiment, in: declaredExperiments.keys.sorted()))
      return
    }
    if case .seed(let seed) = reference.statistic, !item.seeds.contains(seed) {
      diagnostics.error(
        location, "seed \(seed) is not a seed of experiment `\(item.id)` (seeds: \(Self.describe(item.seeds)))")
    }
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
