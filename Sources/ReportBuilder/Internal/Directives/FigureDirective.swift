/// `{figure} label`: a plot of runs (or of the real data), numbered site-wide.
///
/// What it draws is decided by its kind (a ``FigureKind`` in ``FigureKinds``) and its
/// ``FigureSpec``.
struct FigureDirective: Directive {
  static let name = "figure"
  static let declares = DirectiveDeclaration.numbered(isFigure: true)
  static let commonKeys = ["echo", "kind", "caption", "size"]
  static var keys: [String] { Array(Set(FigureKinds.names.flatMap(keys(for:)))).sorted() }

  var label: String
  var kind: any FigureKind.Type
  /// Referenced experiments with the position of the key that names them.
  var experiments: [String]
  var experimentsLocation: SourceLocation
  var seedLocation: SourceLocation
  var spec: FigureSpec
  /// Markdown (inline) caption, possibly empty.
  var caption: String
  var echo: Bool
  var block: DirectiveBlock

  static func keys(for kind: String) -> [String] {
    commonKeys + (FigureKinds.kind(named: kind)?.keys ?? [])
  }

  /// Reads and validates the directive (references to experiments are checked later,
  /// when every chapter is known).
  static func read(_ block: DirectiveBlock, diagnostics: inout DiagnosticList) -> FigureDirective? {
    let kinded = DirectiveReader.forKind(block, kinds: FigureKinds.names, keys: keys(for:), diagnostics: &diagnostics)
    let kind = kinded.kind.flatMap(FigureKinds.kind(named:))
    var reader = kinded.reader
    let label = readIdentifier(block, what: "figure label", example: "fig-samples", reader: &reader)

    var experiments: [String] = []
    var experimentsLocation = block.location
    if let kind, kind.experiments != .none {
      if reader.has("experiment") && reader.has("experiments") {
        if let entry = reader.entry("experiments") {
          reader.error(entry.location, "use either `experiment` or `experiments`, not both")
        }
      } else if let entry = reader.entry("experiment") ?? reader.entry("experiments") {
        experimentsLocation = entry.location
        if entry.key == "experiment" {
          if let value = reader.string("experiment") {
            if value.contains(",") {
              reader.error(entry.location, "`experiment` names one experiment; use `experiments` for a list")
            } else {
              experiments = [value]
            }
          }
        } else {
          experiments = reader.list("experiments") ?? []
        }
      } else {
        let key = kind.experiments == .oneOrMore ? "experiment` or `experiments" : "experiment"
        reader.error(block.location, "missing required key `\(key)` for `kind: \(kind.name)`")
      }
    }

    var seed = FigureSpec.SeedChoice.first
    var seedLocation = block.location
    if let entry = reader.entry("seed"), let value = reader.string("seed") {
      seedLocation = entry.location
      let allowsAll = kind?.allowsAllSeeds ?? false
      if value == "all" && allowsAll {
        seed = .all
      } else if let number = UInt64(value) {
        seed = .seed(number)
      } else {
        reader.error(
          entry.location, "`seed` must be a seed number\(allowsAll ? " or `all`" : ""), got `\(value)`")
      }
    }
    let curves = reader.list("curves", allowed: FigureSpec.CurveName.allCases.map(\.rawValue))?
      .compactMap(FigureSpec.CurveName.init(rawValue:)) ?? [.gLoss, .dLoss]
    let xlim = reader.limits("xlim")
    let ylim = reader.limits("ylim")
    let size = reader.size("size")
    let columns = reader.integer("columns", in: 1...12)
    let dataSeed = reader.seed("data-seed") ?? 0
    let caption = reader.string("caption") ?? ""
    let echo = reader.bool("echo") ?? false

    let failed = !reader.diagnostics.isEmpty || kinded.kindFailed
    diagnostics.append(contentsOf: reader.diagnostics)
    guard !failed, let label, let kind else { return nil }
    let spec = FigureSpec(
      kind: kind.name, width: size?.width ?? kind.defaultSize.width,
      height: size?.height ?? kind.defaultSize.height, sizeIsExplicit: size != nil, columns: columns,
      xlim: xlim, ylim: ylim, seed: seed, curves: curves, dataSeed: dataSeed)
    return FigureDirective(
      label: label, kind: kind, experiments: experiments, experimentsLocation: experimentsLocation,
      seedLocation: seedLocation, spec: spec, caption: caption, echo: echo, block: block)
  }

  func check(in manuscript: Manuscript, diagnostics: inout DiagnosticList) {
    let found = experiments.compactMap {
      manuscript.experiment($0, at: experimentsLocation, diagnostics: &diagnostics)
    }
    if case .seed(let seed) = spec.seed {
      for item in found where !item.seeds.contains(seed) {
        diagnostics.error(
          seedLocation,
          "seed \(seed) is not a seed of experiment `\(item.id)` (seeds: \(Manuscript.describe(item.seeds)))")
      }
    }
    for item in found {
      if let problem = kind.problem(with: item) { diagnostics.error(experimentsLocation, problem) }
    }
    manuscript.checkCaption(of: block, diagnostics: &diagnostics)
  }

  var figures: [FigureDirective] { [self] }

  func html(in content: ContentRenderer) -> String { content.figureHTML(self) }
}
