import Foundation
import GANEngine

/// HTML for what the directives and roles stand for: experiment cards, figures,
/// tables and inline values, from the runs' results.
struct ContentRenderer {
  let manuscript: Manuscript
  let results: [RunKey: RunResult]
  let figures: [String: FigureStage.Rendered]
  let index: RunIndex

  init(manuscript: Manuscript, results: [RunKey: RunResult], figures: [String: FigureStage.Rendered]) {
    self.manuscript = manuscript
    self.results = results
    self.figures = figures
    index = RunIndex(manuscript, results: results)
  }

  /// The seeds' results of an experiment, in seed order (missing ones skipped).
  func runs(of experiment: ExperimentDirective) -> [(seed: UInt64, result: RunResult)] {
    index.results(experiment.id)
  }

  /// `href` of a figure or table from any page.
  func link(to label: String) -> String? {
    guard let item = manuscript.numbered[label] else { return nil }
    return "\(item.chapter).html#\(label)"
  }

  // MARK: - Directives

  func echo(_ block: DirectiveBlock) -> String {
    "<pre class=\"code directive-source\"><code class=\"language-directive\">"
      + Highlighter.html(block.source, language: .directive) + "</code></pre>\n"
  }

  func experimentCard(_ experiment: ExperimentDirective) -> String {
    let defaults = ExperimentConfig()
    let config = experiment.config
    var rows: [(String, String)] = []
    func add(_ key: String, _ value: String, _ isDefault: Bool) {
      rows.append((key, isDefault ? value : "<strong>\(value)</strong>"))
    }
    add("norm", config.norm.rawValue, config.norm == defaults.norm)
    if config.norm != .none {
      add("norm-layers", config.normLayers.rawValue, config.normLayers == defaults.normLayers)
    }
    add("d-batches", config.dBatches.rawValue, config.dBatches == defaults.dBatches)
    add("g-mode", config.gMode.rawValue, config.gMode == defaults.gMode)
    add("shift", shortNumber(config.shift), config.shift == defaults.shift)
    if config.momentMatch { add("moment-match", "true", false) }
    if config.norm == .batch { add("momentum", shortNumber(config.momentum), config.momentum == defaults.momentum) }
    if config.norm == .group { add("groups", "\(config.groups)", config.groups == defaults.groups) }
    add("steps", "\(config.steps)", config.steps == defaults.steps)
    if config.batchSize != defaults.batchSize { add("batch-size", "\(config.batchSize)", false) }
    if config.width != defaults.width { add("width", "\(config.width)", false) }
    if config.learningRate != defaults.learningRate { add("learning-rate", shortNumber(config.learningRate), false) }
    if config.dataSeed != defaults.dataSeed { add("data-seed", "\(config.dataSeed)", false) }
    add("seeds", Manuscript.describe(experiment.seeds), true)

    let runs = runs(of: experiment)
    let diverged = runs.filter { $0.result.diverged }
    var html = "<aside class=\"experiment\" id=\"exp-\(experiment.id)\">\n"
    html += "<p class=\"experiment-title\">Experiment <code>\(escape(experiment.id))</code>"
    html += diverged.isEmpty
      ? " <span class=\"badge ok\">\(runs.count) runs</span>"
      : " <span class=\"badge diverged\">\(diverged.count) of \(runs.count) runs diverged</span>"
    html += "</p>\n<dl>"
    for (key, value) in rows { html += "<dt>\(key)</dt><dd>\(value)</dd>" }
    html += "</dl>\n"
    if !diverged.isEmpty {
      html += "<p class=\"diverged-note\">⚠ Diverged: "
        + diverged.map { "seed \($0.seed) at step \($0.result.divergedAtStep ?? $0.result.steps)" }
          .joined(separator: ", ")
        + ". A diverged run is a result: its curves stop at that step, and its metrics are left out of"
        + " means.</p>\n"
    }
    html += "<p class=\"runs-data\">Metrics per run: "
      + experiment.seeds.map { "<a href=\"data/runs/\(experiment.id)-s\($0).json\">s\($0)</a>" }
        .joined(separator: " · ")
      + "</p>\n" + experimentProvenance(experiment) + "</aside>\n"
    return html
  }

  func figureHTML(_ figure: FigureDirective) -> String {
    let number = manuscript.numbered[figure.label]?.number ?? 0
    let label = figure.label
    let rendered = figures[label]
    let width = rendered?.width ?? figure.spec.width
    let height = rendered?.height ?? figure.spec.height
    let captionHTML = InlineMarkdown.html(figure.caption, role: roleHTML)
    let captionText = InlineMarkdown.text(figure.caption)
    var diverged: [String] = []
    for id in figure.experiments {
      guard let experiment = manuscript.experimentByID[id] else { continue }
      for run in runs(of: experiment) where run.result.diverged {
        diverged.append("\(id) seed \(run.seed) diverged at step \(run.result.divergedAtStep ?? run.result.steps)")
      }
    }
    var html = "<figure class=\"figure\" id=\"\(label)\">\n"
    html += "<img src=\"figures/\(label).png\" srcset=\"figures/\(label).png 2x\" width=\"\(width)\""
      + " height=\"\(height)\" alt=\"Figure \(number)\(captionText.isEmpty ? "" : ": " + escape(captionText))\">\n"
    html += "<figcaption><span class=\"figure-number\">Figure \(number).</span> \(captionHTML)"
    if !diverged.isEmpty {
      html += " <span class=\"diverged-note\">⚠ \(escape(diverged.joined(separator: "; "))).</span>"
    }
    html += " <span class=\"figure-links\"><a href=\"figures/\(label).png\">PNG</a> · "
      + "<a href=\"figures/\(label).svg\">SVG</a> · <a href=\"data/\(label).csv\">data</a></span>"
    html += "</figcaption>\n</figure>\n"
    html += figure.experiments.isEmpty
      ? provenance(note: "No training run: drawn by the engine's generators from data seed \(figure.spec.dataSeed).")
      : provenance(of: figure.experiments)
    return html
  }

  // MARK: - Tables

  func tableHTML(_ table: TableDirective) -> String {
    let number = manuscript.numbered[table.label]?.number ?? 0
    var html = "<figure class=\"table\" id=\"\(table.label)\">\n"
    html += "<figcaption><span class=\"figure-number\">Table \(number).</span> "
      + InlineMarkdown.html(table.caption, role: roleHTML) + "</figcaption>\n"
    html += "<div class=\"table-scroll\"><table>\n"
    switch table.kind {
    case .metrics: html += metricsTable(table)
    case .perSeed: html += perSeedTable(table)
    case .normalizationDemo: html += demoTable(table)
    }
    html += "</table></div>\n</figure>\n"
    html += table.kind == .normalizationDemo
      ? provenance(note: "No training run: the engine's BatchNorm layer in training mode (γ = 1, β = 0, ε = 0),"
        + " applied to the values as written.")
      : provenance(of: table.experiments)
    return html
  }

  /// Column headers and per-run values of the chosen metrics.
  private func columns(for metrics: [TableDirective.Metric]) -> [(header: String, value: (RunResult) -> Double)] {
    var out: [(String, (RunResult) -> Double)] = []
    for metric in metrics {
      switch metric {
      case .gLoss: out.append(("G loss", { Double($0.metrics.gLoss) }))
      case .dLoss: out.append(("D loss", { Double($0.metrics.dLoss) }))
      case .dLossInference: out.append(("D loss (inference)", { Double($0.metrics.dLossInference) }))
      case .shift:
        out.append(("shift x", { Double($0.metrics.shift.first ?? .nan) }))
        out.append(("shift y", { Double($0.metrics.shift.dropFirst().first ?? .nan) }))
      case .shiftNorm: out.append(("|shift|", { ValueResolver.shiftNorm($0) }))
      case .stdRatio:
        out.append(("sd ratio x", { Double($0.metrics.stdRatio.first ?? .nan) }))
        out.append(("sd ratio y", { Double($0.metrics.stdRatio.dropFirst().first ?? .nan) }))
      case .distance: out.append(("distance", { Double($0.metrics.distance) }))
      case .diverged: break
      }
    }
    return out
  }

  private func metricsTable(_ table: TableDirective) -> String {
    let columns = columns(for: table.metrics)
    let showDiverged = table.metrics.contains(.diverged)
    var html = "<thead><tr><th>experiment</th><th>seeds</th>"
      + columns.map { "<th>\($0.header)</th>" }.joined()
      + (showDiverged ? "<th>diverged</th>" : "") + "</tr></thead>\n<tbody>\n"
    for id in table.experiments {
      guard let experiment = manuscript.experimentByID[id] else { continue }
      let runs = runs(of: experiment)
      let diverged = runs.filter { $0.result.diverged }.count
      html += "<tr\(diverged > 0 ? " class=\"diverged\"" : "")><th scope=\"row\"><code>\(escape(id))</code></th>"
      html += "<td>\(runs.count)</td>"
      for column in columns {
        let stats = SeedStatistics(runs.map { column.value($0.result) })
        html += "<td class=\"num\">\(escape(stats.plusMinus(precision: table.precision)))</td>"
      }
      if showDiverged { html += "<td class=\"num\">\(diverged)/\(runs.count)</td>" }
      html += "</tr>\n"
    }
    return html + "</tbody>\n"
  }

  private func perSeedTable(_ table: TableDirective) -> String {
    let columns = columns(for: table.metrics)
    let showDiverged = table.metrics.contains(.diverged)
    var html = "<thead><tr><th>experiment</th><th>seed</th>"
      + columns.map { "<th>\($0.header)</th>" }.joined()
      + (showDiverged ? "<th>diverged</th>" : "") + "</tr></thead>\n<tbody>\n"
    for id in table.experiments {
      guard let experiment = manuscript.experimentByID[id] else { continue }
      for run in runs(of: experiment) {
        html += "<tr\(run.result.diverged ? " class=\"diverged\"" : "")><th scope=\"row\"><code>\(escape(id))</code></th>"
        html += "<td>\(run.seed)</td>"
        for column in columns {
          html += "<td class=\"num\">\(escape(format(column.value(run.result), table.precision)))</td>"
        }
        if showDiverged {
          html += "<td>" + (run.result.diverged
            ? "yes (step \(run.result.divergedAtStep ?? run.result.steps))" : "no") + "</td>"
        }
        html += "</tr>\n"
      }
    }
    return html + "</tbody>\n"
  }

  private func demoTable(_ table: TableDirective) -> String {
    let groups = table.groups.map { $0.map(Float.init) }
    let demo = NormalizationDemo.normalize(groups)
    func list(_ values: [Float]) -> String {
      values.map { format(Double($0), table.precision) }.joined(separator: ", ")
    }
    func inputs(_ values: [Float]) -> String { values.map(shortNumber).joined(separator: ", ") }
    var html = "<thead><tr><th>batch</th><th>values</th><th>normalized (engine BN, training mode)</th></tr></thead>\n<tbody>\n"
    for (index, group) in groups.enumerated() {
      html += "<tr><th scope=\"row\">group \(index + 1) alone</th><td class=\"num\">\(inputs(group))</td>"
        + "<td class=\"num\">\(list(demo.separately[index]))</td></tr>\n"
    }
    html += "<tr><th scope=\"row\">all jointly</th><td class=\"num\">\(inputs(groups.flatMap { $0 }))</td>"
      + "<td class=\"num\">\(list(demo.jointly))</td></tr>\n"
    return html + "</tbody>\n"
  }

  // MARK: - Roles

  private func roleHTML(_ name: InlineRole.Name, _ content: String) -> String? {
    html(for: InlineRole(
      name: name, content: content, location: SourceLocation(file: "", line: 0, column: 0), index: 0))
  }

  func html(for role: InlineRole) -> String {
    switch role.name {
    case .value:
      guard case .success(let reference) = ValueReference.parse(role.content),
            let experiment = manuscript.experimentByID[reference.experiment] else { return "" }
      let text = ValueResolver(runs: runs(of: experiment)).text(for: reference)
      let diverged = runs(of: experiment).contains { $0.result.diverged }
      let classes = "value\(diverged ? " diverged" : "")"
      guard let href = provenanceLink(experiment.id) else {
        return "<span class=\"\(classes)\" title=\"\(escape(role.content))\">" + escape(text) + "</span>"
      }
      return "<a class=\"\(classes)\" href=\"\(href)\" title=\"\(escape(role.content)) — how this was made\">"
        + escape(text) + "</a>"
    case .ref:
      let label = role.content.trimmed
      guard let item = manuscript.numbered[label], let href = link(to: label) else { return "" }
      return "<a class=\"ref\" href=\"\(href)\">\(item.name)</a>"
    case .claim:
      return claimRoleHTML(role)
    case .demo:
      guard let values = DemoValues.parse(role.content) else { return "" }
      let normalized = NormalizationDemo.batchNormalize(values)
      return "<span class=\"value\">["
        + normalized.map { escape(format(Double($0), 3)) }.joined(separator: ", ") + "]</span>"
    }
  }
}

/// `6` for 6.0, else the shortest round-trip form (`0.005`).
func shortNumber(_ value: Float) -> String {
  if value.isFinite, value == value.rounded(), abs(value) < 1e9 { return "\(Int(value))" }
  return "\(value)"
}
