/// A build that could not finish. The previous site and the cache are left as they were.
public enum BuildError: Error, CustomStringConvertible, Sendable {
  /// The chapters have mistakes; each line is `chapters/NAME.md:LINE:COLUMN: error: …`,
  /// sorted by file and position, possibly followed by `note:` lines.
  case chapterErrors([String])
  /// Another build holds the lock on the cache folder.
  case locked(path: String)
  /// Reading or writing a file failed.
  case io(path: String, reason: String)
  /// A run threw instead of producing a result.
  case runFailed(id: String, reason: String)
  /// Rendering a figure failed.
  case figureFailed(label: String, reason: String)
  /// The executor could not deliver every run (Slurm missing or unreachable, failed or
  /// cancelled tasks); the lines say which runs and why, and what to do.
  case executorFailed(lines: [String])

  public var description: String {
    switch self {
    case .chapterErrors(let lines):
      let errors = lines.filter { $0.contains(": error: ") }.count
      return lines.joined(separator: "\n")
        + "\n\(errors) error\(errors == 1 ? "" : "s"); the site was not changed."
    case .locked(let path):
      return "error: another build is running (lock held on \(path)); try again when it has finished."
    case .io(let path, let reason):
      return "error: \(path): \(reason)"
    case .runFailed(let id, let reason):
      return "error: run \(id) failed: \(reason); the site was not changed."
    case .figureFailed(let label, let reason):
      return "error: figure \(label) failed: \(reason); the site was not changed."
    case .executorFailed(let lines):
      return lines.joined(separator: "\n")
    }
  }
}
