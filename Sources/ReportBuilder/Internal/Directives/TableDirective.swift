/// `{table} label`: metrics of experiments, or the normalization demo, numbered site-wide.
struct TableDirective: Directive {
  static let name = "table"
  static let declares = DirectiveDeclaration.numbered(isFigure: false)
  static var keys: [String] { Array(Set(Kind.allCases.flatMap(keys(for:)))).sorted() }

  enum Kind: String, CaseIterable, Sendable {
    case metrics, perSeed = "per-seed", normalizationDemo = "normalization-demo"
  }

  /// A column group of a metrics table.
  enum Metric: String, CaseIterable, Sendable {
    case gLoss = "g_loss", dLoss = "d_loss", dLossInference = "d_loss_inference"
    case shift, shiftNorm = "shift_norm", stdRatio = "std_ratio", distance, diverged
  }

  var label: String
  var kind: Kind
  var experiments: [String]
  var experimentsLocation: SourceLocation
  var metrics: [Metric]
  /// normalization-demo: groups of values, each normalized alone and then all jointly.
  var groups: [[Double]]
  var precision: Int
  var caption: String
  var echo: Bool
  var block: DirectiveBlock

  static let defaultMetrics: [Metric] = [.shift, .stdRatio, .distance, .gLoss, .dLoss, .diverged]

  static func keys(for kind: Kind) -> [String] {
    let common = ["echo", "kind", "caption"]
    switch kind {
    case .metrics, .perSeed: return common + ["experiments", "metrics", "precision"]
    case .normalizationDemo: return common + ["values", "precision"]
    }
  }

  static func read(_ block: DirectiveBlock, diagnostics: inout DiagnosticList) -> TableDirective? {
    let kinded = DirectiveReader.forKind(block, keys: keys(for:), diagnostics: &diagnostics)
    let kind = kinded.kind
    var reader = kinded.reader
    let label = readIdentifier(block, what: "table label", example: "tab-metrics", reader: &reader)

    var experiments: [String] = []
    var experimentsLocation = block.location
    var groups: [[Double]] = []
    if let kind {
      switch kind {
      case .metrics, .perSeed:
        if reader.require("experiments", for: "for `kind: \(kind.rawValue)`") {
          experimentsLocation = reader.entry("experiments")?.location ?? block.location
          experiments = reader.list("experiments") ?? []
        }
      case .normalizationDemo:
        if reader.require("values", for: "for `kind: normalization-demo`"),
           let entry = reader.entry("values"), let text = reader.string("values") {
          if let parsed = parseValueGroups(text) {
            groups = parsed
          } else {
            reader.error(
              entry.location,
              "`values` must be groups of at least two numbers separated by `|`, e.g. `0.5, 1.5 | 6, 8`,"
                + " got `\(text)`")
          }
        }
      }
    }
    let metrics = reader.list("metrics", allowed: Metric.allCases.map(\.rawValue))?
      .compactMap(Metric.init(rawValue:)) ?? defaultMetrics
    let precision = reader.integer("precision", in: 0...8) ?? 3
    let caption = reader.string("caption") ?? ""
    let echo = reader.bool("echo") ?? false
    let failed = !reader.diagnostics.isEmpty || kinded.kindFailed
    diagnostics.append(contentsOf: reader.diagnostics)
    guard !failed, let label, let kind else { return nil }
    return TableDirective(
      label: label, kind: kind, experiments: experiments, experimentsLocation: experimentsLocation,
      metrics: metrics, groups: groups, precision: precision, caption: caption, echo: echo,
      block: block)
  }

  func check(in manuscript: Manuscript, diagnostics: inout DiagnosticList) {
    for id in experiments { _ = manuscript.experiment(id, at: experimentsLocation, diagnostics: &diagnostics) }
    manuscript.checkCaption(of: block, diagnostics: &diagnostics)
  }

  func html(in content: ContentRenderer) -> String { content.tableHTML(self) }

  /// `0.5, 1.5 | 6, 8` → `[[0.5, 1.5], [6, 8]]`; `nil` unless every group has ≥ 2 finite numbers.
  static func parseValueGroups(_ text: String) -> [[Double]]? {
    var groups: [[Double]] = []
    for part in text.split(separator: "|", omittingEmptySubsequences: false) {
      let numbers = part.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmed) }
      guard numbers.count >= 2, numbers.allSatisfy({ $0?.isFinite == true }) else { return nil }
      groups.append(numbers.compactMap { $0 })
    }
    return groups.isEmpty ? nil : groups
  }
}
