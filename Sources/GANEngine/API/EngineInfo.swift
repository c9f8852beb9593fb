/// Facts about the engine that belong in cache keys.
public enum EngineInfo {
  /// Bumped whenever the same configuration would produce different results
  /// (numerics, random streams, metrics). Part of every run's cache key.
  public static let version: String = "3"
}
