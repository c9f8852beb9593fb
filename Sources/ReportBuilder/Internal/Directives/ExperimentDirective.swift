import GANEngine

/// `{experiment} id`: one engine configuration, trained once per seed.
struct ExperimentDirective: Directive {
  static let name = "experiment"
  static let declares = DirectiveDeclaration.experiment

  var id: String
  /// The configuration shared by all seeds (its `seed` field is unused).
  var config: ExperimentConfig
  var seeds: [UInt64]
  var echo: Bool
  var block: DirectiveBlock

  /// Keys the directive understands. `batch-size`, `width` and `learning-rate` are
  /// extensions of the contract, for short test and exploration runs.
  static let keys = [
    "echo", "norm", "norm-layers", "d-batches", "g-mode", "shift", "moment-match", "momentum",
    "groups", "steps", "data-seed", "seeds", "batch-size", "width", "learning-rate", "kernel",
  ]

  /// One configuration per seed, in the order the seeds were written.
  var runConfigs: [ExperimentConfig] {
    seeds.map { seed in
      var config = config
      config.seed = seed
      return config
    }
  }

  /// Reads and validates the directive; `nil` when it has errors (recorded in `diagnostics`).
  static func read(_ block: DirectiveBlock, diagnostics: inout DiagnosticList) -> ExperimentDirective? {
    var reader = DirectiveReader(block: block, allowed: keys)
    let id = readIdentifier(block, what: "experiment id", example: "bn", reader: &reader)
    var config = ExperimentConfig()
    if let value = reader.choice("norm", as: ExperimentConfig.Norm.self) { config.norm = value }
    if let value = reader.choice("norm-layers", as: ExperimentConfig.NormLayers.self) {
      config.normLayers = value
    }
    if let value = reader.choice("d-batches", as: ExperimentConfig.DBatches.self) {
      config.dBatches = value
    }
    if let value = reader.choice("g-mode", as: ExperimentConfig.GMode.self) { config.gMode = value }
    if let value = reader.choice("kernel", as: ProductKernel.self) { config.kernel = value }
    if let value = reader.number("shift", range: "≥ 0", valid: { $0 >= 0 }) {
      config.shift = Float(value)
    }
    if let value = reader.bool("moment-match") { config.momentMatch = value }
    if let value = reader.number("momentum", range: "in [0, 1)", valid: { $0 >= 0 && $0 < 1 }) {
      config.momentum = Float(value)
    }
    if let value = reader.integer("steps", in: 1...1_000_000) { config.steps = value }
    if let value = reader.seed("data-seed") { config.dataSeed = value }
    if let value = reader.integer("batch-size", in: 2...65_536) { config.batchSize = value }
    if let value = reader.integer("width", in: 1...4096) { config.width = value }
    if let value = reader.number("learning-rate", range: "in (0, 1]", valid: { $0 > 0 && $0 <= 1 }) {
      config.learningRate = Float(value)
    }
    let groups = reader.integer("groups", in: 1...4096)
    if let groups {
      config.groups = groups
      if let entry = reader.entry("groups"), config.norm == .group, config.width % groups != 0 {
        reader.error(entry.location, "`groups` must divide the hidden width \(config.width), got \(groups)")
      }
    }
    let echo = reader.bool("echo") ?? false
    let seeds = reader.require("seeds") ? reader.seeds("seeds") : nil
    let failed = !reader.diagnostics.isEmpty
    diagnostics.append(contentsOf: reader.diagnostics)
    guard !failed, let id, let seeds else { return nil }
    guard validate(config, block: block, diagnostics: &diagnostics) else { return nil }
    return ExperimentDirective(id: id, config: config, seeds: seeds, echo: echo, block: block)
  }

  /// The engine's own validation of the configuration, reported at the offending key.
  private static func validate(
    _ config: ExperimentConfig, block: DirectiveBlock, diagnostics: inout DiagnosticList
  ) -> Bool {
    do {
      try config.validate()
      return true
    } catch let error as ConfigurationError {
      let key = error.field.replacingOccurrences(of: "_", with: "-")
      let location = block.entries.first { $0.key == key }?.location ?? block.location
      diagnostics.error(location, "invalid `\(key)`: \(error.message)")
      return false
    } catch {
      diagnostics.error(block.location, "invalid configuration: \(error)")
      return false
    }
  }

  var runs: [RunJob] {
    runConfigs.map { RunJob(key: RunKey(config: $0), config: $0, experiment: id) }
  }

  func html(in content: ContentRenderer) -> String { content.experimentCard(self) }
}

/// Reads the directive's argument as an id or label, reporting a missing or malformed one.
func readIdentifier(
  _ block: DirectiveBlock, what: String, example: String, reader: inout DirectiveReader
) -> String? {
  guard !block.argument.isEmpty else {
    reader.error(block.location, "missing \(what) after `{\(block.name)}`, e.g. `{\(block.name)} \(example)`")
    return nil
  }
  guard isValidIdentifier(block.argument) else {
    reader.error(
      block.argumentLocation,
      "invalid \(what) `\(block.argument)`: use lowercase letters, digits and `-`, starting with a letter")
    return nil
  }
  return block.argument
}

extension ExperimentDirective {
  /// Whether D's first hidden layer is a BatchNorm layer.
  var hasFirstLayerBN: Bool { config.norm == .batch && config.normLayers != .second }

  /// Why a figure of kind `kind`, which reads D's first BN layer, cannot draw this
  /// experiment, or `nil`.
  func firstLayerBNProblem(kind: String) -> String? {
    guard !hasFirstLayerBN else { return nil }
    return "`kind: \(kind)` needs batch norm in D's first layer, but experiment `\(id)` has"
      + " `norm: \(config.norm.rawValue)`"
      + (config.norm == .batch ? ", `norm-layers: \(config.normLayers.rawValue)`" : "")
  }
}
