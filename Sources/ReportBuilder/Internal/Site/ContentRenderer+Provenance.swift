import GANEngine

/// The collapsed "How this was made" block under every experiment, figure and table:
/// the configuration, seeds, engine and product kernel, each run's key and data file, and
/// the `report run` command that repeats each run bit for bit.
extension ContentRenderer {
  /// `href` of an experiment's provenance block, from any page.
  func provenanceLink(_ id: String) -> String? {
    guard let experiment = manuscript.experimentByID[id] else { return nil }
    return "\(Self.chapterName(of: experiment.block.location)).html#prov-\(id)"
  }

  /// `02-introducing-bn` for a location in `chapters/02-introducing-bn.md`.
  static func chapterName(of location: SourceLocation) -> String {
    let file = location.file.split(separator: "/").last.map(String.init) ?? location.file
    return file.hasSuffix(".md") ? String(file.dropLast(3)) : file
  }

  /// The block for an experiment card; its id is what `{value}` and `{claim}` link to.
  func experimentProvenance(_ experiment: ExperimentDirective) -> String {
    details(id: "prov-\(experiment.id)", body: engineLines([experiment.config.kernel]) + experimentSection(experiment))
  }

  /// The block for a figure or table drawn from `experiments`.
  func provenance(of experiments: [String]) -> String {
    let found = experiments.compactMap { manuscript.experimentByID[$0] }
    let kernels = Set(found.map(\.config.kernel)).sorted { $0.rawValue < $1.rawValue }
    return details(id: nil, body: engineLines(kernels) + found.map(experimentSection).joined())
  }

  /// The block for what is computed without runs (the data figure, the BN demo).
  func provenance(note: String) -> String {
    details(id: nil, body: engineLines([.portable]) + "<p>\(note)</p>\n")
  }

  private func details(id: String?, body: String) -> String {
    "<details class=\"provenance\"\(id.map { " id=\"\($0)\"" } ?? "")>"
      + "<summary>How this was made</summary>\n" + body + "</details>\n"
  }

  private func engineLines(_ kernels: [ProductKernel]) -> String {
    kernels.map { kernel in
      let name = EngineInfo.fingerprint.kernelName(for: kernel)
      let note = kernel == .portable
        ? "the same bits on every x86-64 CPU with AVX2 and FMA"
        : "bit-identical only on the same OpenBLAS core; <code>REPORT_BLAS_CORETYPE</code> forces one"
      return "<p>Engine <code>\(escape(EngineInfo.version))</code>, product kernel <code>\(escape(name))</code>"
        + " (\(note)).</p>\n"
    }.joined()
  }

  private func experimentSection(_ experiment: ExperimentDirective) -> String {
    var html = "<p>Experiment <code>\(escape(experiment.id))</code>, seeds \(Manuscript.describe(experiment.seeds)):"
    html += " " + (Provenance.settings(experiment.config) + Provenance.constants(experiment.config))
      .map { "<code>\(escape($0.key)): \(escape($0.value))</code>" }
      .joined(separator: " ") + "</p>\n<ul class=\"runs\">\n"
    for (config, run) in zip(experiment.runConfigs, index.runs(experiment.id)) {
      let key = run.key
      let file = "data/runs/\(experiment.id)-s\(config.seed).json"
      html += "<li>seed \(config.seed) · run <code title=\"run key\">\(key.hex)</code>"
        + " · <a href=\"\(file)\">\(file)</a>"
        + "<pre class=\"command\"><code>\(escape(Provenance.command(config)))</code></pre></li>\n"
    }
    return html + "</ul>\n"
  }
}

/// What the provenance blocks print about runs.
enum Provenance {
  /// Every setting of a configuration, in the directive's key names and order.
  static func settings(_ config: ExperimentConfig) -> [(key: String, value: String)] {
    [
      ("norm", config.norm.rawValue), ("norm-layers", config.normLayers.rawValue),
      ("d-batches", config.dBatches.rawValue), ("g-mode", config.gMode.rawValue),
      ("shift", shortNumber(config.shift)), ("moment-match", "\(config.momentMatch)"),
      ("momentum", shortNumber(config.momentum)), ("groups", "\(config.groups)"),
      ("steps", "\(config.steps)"), ("batch-size", "\(config.batchSize)"), ("width", "\(config.width)"),
      ("learning-rate", shortNumber(config.learningRate)), ("data-seed", "\(config.dataSeed)"),
      ("kernel", config.kernel.rawValue),
    ]
  }

  /// The settings of a configuration that no directive key or flag changes (the Keras
  /// constants of the study), so the block shows the full configuration.
  static func constants(_ config: ExperimentConfig) -> [(key: String, value: String)] {
    [("leaky-slope", shortNumber(config.leakySlope)), ("epsilon", shortNumber(config.epsilon))]
  }

  /// The `report run` command line that trains exactly this configuration: every flag
  /// is written out, so the command does not depend on the defaults of the day.
  static func command(_ config: ExperimentConfig) -> String {
    var parts = ["report", "run"]
    for (key, value) in settings(config) {
      if key == "moment-match" {
        if config.momentMatch { parts.append("--moment-match") }
        continue
      }
      parts += ["--\(key)", value]
    }
    parts += ["--seed", "\(config.seed)"]
    return parts.joined(separator: " ")
  }
}
