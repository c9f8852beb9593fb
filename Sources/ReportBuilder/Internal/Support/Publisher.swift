import Foundation

/// Builds the site in a staging folder next to the output folder and swaps it in:
/// `build.tmp-<pid>` is filled, then `build` → `build.old-<pid>`, `build.tmp-<pid>` →
/// `build`, and the old folder is deleted. A build that fails or is interrupted
/// before the swap leaves the previous site untouched.
struct Publisher {
  let output: URL
  let staging: URL
  private let old: URL

  init(output: URL) {
    self.output = output.standardizedFileURL
    let parent = self.output.deletingLastPathComponent()
    let name = self.output.lastPathComponent
    staging = parent.appendingPathComponent("\(name).tmp-\(getpid())", isDirectory: true)
    old = parent.appendingPathComponent("\(name).old-\(getpid())", isDirectory: true)
  }

  /// Removes leftovers of interrupted builds and creates an empty staging folder.
  /// Call with the build lock held.
  func prepare() throws {
    let parent = output.deletingLastPathComponent()
    let name = output.lastPathComponent
    try FileIO.createDirectory(parent)
    let siblings = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
    for sibling in siblings where sibling.hasPrefix("\(name).tmp-") || sibling.hasPrefix("\(name).old-") {
      try? FileManager.default.removeItem(at: parent.appendingPathComponent(sibling))
    }
    try FileIO.createDirectory(staging)
  }

  /// Deletes the staging folder (after a failure).
  func discard() {
    try? FileManager.default.removeItem(at: staging)
  }

  /// Swaps the staging folder in as the output folder.
  func publish() throws {
    let fm = FileManager.default
    let hadOutput = fm.fileExists(atPath: output.path)
    if hadOutput {
      guard rename(output.path, old.path) == 0 else {
        throw BuildError.io(path: output.path, reason: "cannot move the old site aside: \(String(cString: strerror(errno)))")
      }
    }
    guard rename(staging.path, output.path) == 0 else {
      let reason = String(cString: strerror(errno))
      if hadOutput { _ = rename(old.path, output.path) }
      throw BuildError.io(path: output.path, reason: "cannot move the new site in: \(reason)")
    }
    if hadOutput { try? fm.removeItem(at: old) }
  }
}
