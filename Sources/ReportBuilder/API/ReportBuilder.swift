import Foundation

/// Turns `chapters/*.md` into the static site, running and caching experiments.
public enum ReportBuilder {
  /// Builds the site described by `options` and publishes it atomically.
  ///
  /// - Throws: ``BuildError``; on any error the previous site and cache stay intact.
  public static func build(options: BuildOptions) throws -> BuildSummary {
    throw BuildError.io(path: options.chaptersDirectory.path, reason: "not implemented yet")
  }
}
