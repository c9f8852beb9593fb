/// Thrown by a build whose ``BuildOptions/isCancelled`` answered `true` before a run
/// started. Runs that had already started were finished and cached; the previous
/// site is left as it was.
public struct BuildCancelled: Error, CustomStringConvertible, Sendable {
  public init() {}

  public var description: String { "build cancelled; the site was not changed." }
}
