import Foundation

/// What `report build` would do with the current chapters and cache, and why; made
/// without training, rendering or writing anything.
///
/// ```swift
/// let plan = try ReportBuilder.plan(options: BuildOptions(projectRoot: root))
/// print(plan.text(verbose: false))
/// ```
public struct BuildPlan: Sendable, Equatable {
  /// A run or figure that would be computed, with every reason found.
  public struct Item: Sendable, Equatable {
    /// `bn s3` for a run, the label for a figure.
    public var name: String
    /// e.g. `steps changed 2000 → 1999`, `not in the cache`.
    public var reasons: [String]
  }

  /// Runs the build would train, in site order.
  public var runsToCompute: [Item]
  /// Runs the build would take from the cache (`bn s1`, …), in site order.
  public var runsReused: [String]
  /// Figures the build would render, in site order.
  public var figuresToRender: [Item]
  /// Figures the build would take from the figure cache, in site order.
  public var figuresReused: [String]
  /// Whether the cache holds a record of a previous build (without one, a changed
  /// configuration shows up only as "not in the cache").
  public var hasLastBuild: Bool
  /// The output folder the build would publish to, e.g. `build/` (as `report build` names it).
  public var output: String
  /// Whether the output folder already holds a manuscript.
  public var outputExists: Bool

  /// The plan as printed by `report plan`; `verbose` also names what is reused.
  public func text(verbose: Bool) -> String {
    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    var lines = [
      "\(count(runsToCompute.count, "run")) to train, \(runsReused.count) reused from the cache; "
        + "\(count(figuresToRender.count, "figure")) to render, \(figuresReused.count) reused."
    ]
    lines.append(outputExists ? "The site in \(output) would be replaced." : "The site would be written to \(output).")
    if !hasLastBuild {
      lines.append("(no record of a previous build in the cache: changes are not named)")
    }
    func section(_ title: String, _ items: [Item]) {
      guard !items.isEmpty else { return }
      lines.append("")
      lines.append(title)
      let width = items.map(\.name.count).max() ?? 0
      for item in items {
        let pad = String(repeating: " ", count: width - item.name.count)
        lines.append("  \(item.name)\(pad)  \(item.reasons.joined(separator: "; "))")
      }
    }
    section("Runs to train:", runsToCompute)
    section("Figures to render:", figuresToRender)
    if verbose {
      lines.append("")
      lines.append("Reused runs: " + (runsReused.isEmpty ? "none" : Self.grouped(runsReused)))
      lines.append("Reused figures: " + (figuresReused.isEmpty ? "none" : figuresReused.joined(separator: ", ")))
    } else if !runsReused.isEmpty || !figuresReused.isEmpty {
      lines.append("")
      lines.append("Reused: \(count(runsReused.count, "run")), \(count(figuresReused.count, "figure")) (--verbose names them).")
    }
    return lines.joined(separator: "\n")
  }
}

extension BuildPlan {
  /// `bn s1-5; ln s1, s3`: run names (`bn s1`) with each experiment's seeds together.
  static func grouped(_ names: [String]) -> String {
    var order: [String] = []
    var seeds: [String: [UInt64]] = [:]
    var others: [String] = []
    for name in names {
      let parts = name.split(separator: " ")
      guard parts.count == 2, parts[1].hasPrefix("s"), let seed = UInt64(parts[1].dropFirst()) else {
        others.append(name)
        continue
      }
      let id = String(parts[0])
      if seeds[id] == nil { order.append(id) }
      seeds[id, default: []].append(seed)
    }
    return (order.map { "\($0) \(Planner.describe(seeds[$0] ?? []))" } + others).joined(separator: "; ")
  }
}

extension ReportBuilder {
  /// What ``build(options:)`` would train and render, and why, from the chapters, the
  /// cache and the record the last successful build left in the cache. Reads only.
  ///
  /// - Throws: ``BuildError/chapterErrors(_:)`` with the same diagnostics as a build.
  public static func plan(options: BuildOptions) throws -> BuildPlan {
    var diagnostics = DiagnosticList()
    let manuscript = Manuscript.load(directory: options.chaptersDirectory, kernel: options.kernel, diagnostics: &diagnostics)
    guard diagnostics.isEmpty else { throw BuildError.chapterErrors(diagnostics.lines) }
    var plan = Planner(cacheDirectory: options.cacheDirectory).plan(manuscript)
    plan.output = options.outputDirectory.lastPathComponent + "/"
    plan.outputExists = FileManager.default.fileExists(
      atPath: options.outputDirectory.appendingPathComponent("manifest.json").path)
    return plan
  }
}
