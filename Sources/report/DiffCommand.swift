import ArgumentParser
import Foundation
import ReportBuilder

/// `report diff OLD_SITE NEW_SITE`: what changed between two built sites.
struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "List every value, claim, table cell, run and figure that differs between two built sites.",
    discussion: """
      Compares two sites that `report build` wrote (e.g. a copy of the published one \
      and a rebuild) through their manifests, run data and data/values.json, and lists \
      each change with its old → new value, grouped by chapter. Exit status: 0 when no \
      claim changed its truth, 1 when one did, 2 when a folder is not a built site.
      """
  )

  @Argument(help: "The earlier site (e.g. a copy of build/).")
  var oldSite: String

  @Argument(help: "The later site.")
  var newSite: String

  func run() throws {
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    let old = URL(fileURLWithPath: oldSite, isDirectory: true, relativeTo: cwd).standardizedFileURL
    let new = URL(fileURLWithPath: newSite, isDirectory: true, relativeTo: cwd).standardizedFileURL
    let diff: SiteDiff
    do {
      diff = try SiteDiff.compare(old: old, new: new)
    } catch let error as SiteDiffError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(2)
    }
    print(diff.text)
    if diff.claimsChangedTruth > 0 { throw ExitCode.failure }
  }
}
