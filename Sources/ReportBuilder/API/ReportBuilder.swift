import Foundation

/// Turns `chapters/*.md` into the static site, running and caching experiments.
///
/// ```swift
/// let summary = try ReportBuilder.build(options: BuildOptions(projectRoot: root))
/// print(summary.runsExecuted, summary.runsCached)
/// ```
public enum ReportBuilder {
  /// Builds the site described by `options` and publishes it atomically.
  ///
  /// Warnings (e.g. a corrupt cache entry that was recomputed) are printed to stderr
  /// as they happen and also returned in the summary.
  ///
  /// - Throws: ``BuildError``; on any error the previous site is left as it was and
  ///   the cache only gains complete, verified entries.
  public static func build(options: BuildOptions) throws -> BuildSummary {
    try BuildPipeline(options: options).run()
  }
}
