/// What one build did.
public struct BuildSummary: Sendable, Equatable {
  /// Runs trained in this build.
  public var runsExecuted: Int
  /// Runs whose results came from the cache.
  public var runsCached: Int
  /// Figures rendered in this build (the rest came from the figure cache).
  public var figuresRendered: Int
  /// Figures copied from the figure cache.
  public var figuresCached: Int
  /// Runs that produced a non-finite value (they are results, not failures).
  public var runsDiverged: Int
  /// Warnings printed during the build (e.g. a corrupt cache entry).
  public var warnings: [String]
  /// Wall time of the whole build in seconds.
  public var wallSeconds: Double
  /// With `--detach`: the Slurm job array the missing runs were submitted to (or that an
  /// earlier build submitted and is still running); the site was not built.
  public var detachedJob: String? = nil
  /// With `--detach`: how many runs this build submitted.
  public var runsSubmitted = 0

  public init(runsExecuted: Int = 0, runsCached: Int = 0, figuresRendered: Int = 0,
              figuresCached: Int = 0, runsDiverged: Int = 0, warnings: [String] = [],
              wallSeconds: Double = 0) {
    self.runsExecuted = runsExecuted; self.runsCached = runsCached
    self.figuresRendered = figuresRendered; self.figuresCached = figuresCached
    self.runsDiverged = runsDiverged; self.warnings = warnings; self.wallSeconds = wallSeconds
  }
}
