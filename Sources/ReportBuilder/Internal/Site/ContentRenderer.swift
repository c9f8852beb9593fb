import Foundation
import GANEngine

/// HTML for what the directives and roles stand for: experiment cards, figures,
/// tables and inline values, from the runs' results.
struct ContentRenderer {
  let manuscript: Manuscript
  /// The build's runs by experiment (one index serves claims, figures and pages).
  let index: RunIndex
  let figures: [String: FigureStage.Rendered]

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
    html += gridHTML(TableGrid(table, manuscript: manuscript, runs: runs(of:)))
    html += "</table></div>\n</figure>\n"
    html += table.kind == .normalizationDemo
      ? provenance(note: "No training run: the engine's BatchNorm layer in training mode (γ = 1, β = 0, ε = 0),"
        + " applied to the values as written.")
      : provenance(of: table.experiments)
    return html
  }

  private func gridHTML(_ grid: TableGrid) -> String {
    var html = "<thead><tr><th>\(grid.corner)</th>" + grid.headers.map { "<th>\($0)</th>" }.joined()
      + "</tr></thead>\n<tbody>\n"
    for row in grid.rows {
      html += "<tr\(row.diverged ? " class=\"diverged\"" : "")><th scope=\"row\">"
        + (row.headerIsCode ? "<code>\(escape(row.header))</code>" : escape(row.header)) + "</th>"
      for cell in row.cells {
        html += "<td\(cell.numeric ? " class=\"num\"" : "")>\(escape(cell.text))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody>\n"
  }

  // MARK: - Roles

  private func roleHTML(_ name: InlineRole.Name, _ content: String) -> String? {
    html(for: InlineRole(
      name: name, content: content, location: SourceLocation(file: "", line: 0, column: 0), index: 0))
  }

  /// The text a `{value}` role shows, and whether a run of its experiment diverged;
  /// nil when the role does not resolve (the chapters' checks reported it).
  func valueText(_ content: String) -> (text: String, diverged: Bool)? {
    guard case .success(let reference) = ValueReference.parse(content) else { return nil }
    return valueText(reference)
  }

  /// The same for a reference already parsed (the role renderer parses it once).
  func valueText(_ reference: ValueReference) -> (text: String, diverged: Bool)? {
    guard let experiment = manuscript.experimentByID[reference.experiment] else { return nil }
    let runs = runs(of: experiment)
    return (ValueResolver(runs: runs).text(for: reference), runs.contains { $0.result.diverged })
  }

  func html(for role: InlineRole) -> String {
    switch role.name {
    case .value:
      guard case .success(let reference) = ValueReference.parse(role.content),
            let (text, diverged) = valueText(reference) else { return "" }
      let classes = "value\(diverged ? " diverged" : "")"
      guard let href = provenanceLink(reference.experiment) else {
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
