/// `{figure} label`: a plot of runs (or of the real data), numbered site-wide.
struct FigureDirective: Sendable {
  enum Kind: String, CaseIterable, Sendable {
    case data, samples, seedGrid = "seed-grid", featureMeans = "feature-means", curves, lag
  }

  /// Which seed(s) a figure shows.
  enum SeedChoice: Hashable, Sendable {
    /// The experiment's first seed.
    case first
    case seed(UInt64)
    /// Mean ± sd over all seeds (curves only).
    case all
  }

  /// A curve of a run, as named in `curves:`.
  enum CurveName: String, CaseIterable, Sendable {
    case gLoss = "g_loss", dLoss = "d_loss", dLossInference = "d_loss_inference"

    var title: String {
      switch self {
      case .gLoss: "G loss"
      case .dLoss: "D loss"
      case .dLossInference: "D loss (inference)"
      }
    }
  }

  var label: String
  var kind: Kind
  /// Referenced experiments with the position of the key that names them.
  var experiments: [String]
  var experimentsLocation: SourceLocation
  var seed: SeedChoice
  var seedLocation: SourceLocation
  var curves: [CurveName]
  var xlim: ClosedRange<Double>?
  var ylim: ClosedRange<Double>?
  var width: Int
  var height: Int
  var columns: Int
  var dataSeed: UInt64
  /// Markdown (inline) caption, possibly empty.
  var caption: String
  var echo: Bool
  var block: DirectiveBlock

  static let commonKeys = ["echo", "kind", "caption", "size"]
  static func keys(for kind: Kind) -> [String] {
    switch kind {
    case .data: commonKeys + ["data-seed", "xlim", "ylim"]
    case .samples: commonKeys + ["experiment", "seed", "xlim", "ylim"]
    case .seedGrid: commonKeys + ["experiment", "columns", "xlim", "ylim"]
    case .featureMeans: commonKeys + ["experiment", "seed", "ylim"]
    case .curves: commonKeys + ["experiment", "experiments", "seed", "curves", "xlim", "ylim"]
    case .lag: commonKeys + ["experiment", "experiments", "xlim", "ylim"]
    }
  }

  /// Reads and validates the directive (references to experiments are checked later,
  /// when every chapter is known).
  static func read(_ block: DirectiveBlock, diagnostics: inout DiagnosticList) -> FigureDirective? {
    let kinded = DirectiveReader.forKind(block, keys: keys(for:), diagnostics: &diagnostics)
    let kind = kinded.kind
    var reader = kinded.reader
    let label = readIdentifier(block, what: "figure label", example: "fig-samples", reader: &reader)

    var experiments: [String] = []
    var experimentsLocation = block.location
    if let kind, kind != .data {
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
        let key = (kind == .curves || kind == .lag) ? "experiment` or `experiments" : "experiment"
        reader.error(block.location, "missing required key `\(key)` for `kind: \(kind.rawValue)`")
      }
    }

    var seed = SeedChoice.first
    var seedLocation = block.location
    if let entry = reader.entry("seed"), let value = reader.string("seed") {
      seedLocation = entry.location
      if value == "all" && kind == .curves {
        seed = .all
      } else if let number = UInt64(value) {
        seed = .seed(number)
      } else {
        reader.error(
          entry.location,
          "`seed` must be a seed number\(kind == .curves ? " or `all`" : ""), got `\(value)`")
      }
    }
    let curves = reader.list("curves", allowed: CurveName.allCases.map(\.rawValue))?
      .compactMap(CurveName.init(rawValue:)) ?? [.gLoss, .dLoss]
    let xlim = reader.limits("xlim")
    let ylim = reader.limits("ylim")
    let size = reader.size("size")
    let columns = reader.integer("columns", in: 1...12) ?? 5
    let dataSeed = reader.seed("data-seed") ?? 0
    let caption = reader.string("caption") ?? ""
    let echo = reader.bool("echo") ?? false

    let failed = !reader.diagnostics.isEmpty || kinded.kindFailed
    diagnostics.append(contentsOf: reader.diagnostics)
    guard !failed, let label, let kind else { return nil }
    let defaultSize: (Int, Int) = switch kind {
    case .seedGrid: (720, 480)
    case .featureMeans, .curves, .lag: (640, 360)
    case .data, .samples: (640, 480)
    }
    return FigureDirective(
      label: label, kind: kind, experiments: experiments, experimentsLocation: experimentsLocation,
      seed: seed, seedLocation: seedLocation, curves: curves, xlim: xlim, ylim: ylim,
      width: size?.width ?? defaultSize.0, height: size?.height ?? defaultSize.1, columns: columns,
      dataSeed: dataSeed, caption: caption, echo: echo, block: block)
  }
}
