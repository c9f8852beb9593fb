import Foundation

/// Removes the published site and/or the run cache.
public enum Clean {
  /// Deletes `options.outputDirectory` when `site`, and `options.cacheDirectory`
  /// when `cache`. Missing folders are not an error.
  ///
  /// - Throws: ``BuildError/locked(path:)`` while a build runs; ``BuildError/io(path:reason:)``.
  ///
  /// - Returns: the paths that were removed.
  @discardableResult
  public static func run(options: BuildOptions, site: Bool, cache: Bool) throws -> [String] {
    var removed: [String] = []
    let fm = FileManager.default
    // Refuse while a build runs (it holds the lock in the cache folder).
    let lock = fm.fileExists(atPath: options.cacheDirectory.path)
      ? try BuildLock(url: options.cacheDirectory.appendingPathComponent("lock")) : nil
    defer { withExtendedLifetime(lock) {} }
    var targets: [URL] = []
    if site { targets.append(options.outputDirectory) }
    if cache { targets.append(options.cacheDirectory) }
    for url in targets where fm.fileExists(atPath: url.path) {
      do {
        try fm.removeItem(at: url)
        removed.append(url.path)
      } catch {
        throw BuildError.io(path: url.path, reason: error.localizedDescription)
      }
    }
    return removed
  }
}
