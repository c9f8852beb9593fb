import ArgumentParser
import Foundation
import ReportBuilder

/// `report clean`: removes the site and/or the run cache.
struct CleanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clean",
    abstract: "Remove the built site and/or the run cache.",
    discussion: """
      Without flags both are removed. The cache holds trained runs and rendered \
      figures; removing it means the next build retrains every experiment.
      """
  )

  @Flag(name: .long, help: "Remove the built site (build/).")
  var site = false

  @Flag(name: .long, help: "Remove the run and figure cache (.report-cache/).")
  var cache = false

  @Option(name: .long, help: "Folder the site is published to.")
  var output: String = "build"

  @Option(name: .customLong("cache-dir"), help: "Folder of the run and figure cache.")
  var cacheDirectory: String = ".report-cache"

  func run() throws {
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    var options = BuildOptions(projectRoot: cwd)
    options.outputDirectory = URL(fileURLWithPath: output, isDirectory: true, relativeTo: cwd)
      .standardizedFileURL
    options.cacheDirectory = URL(fileURLWithPath: cacheDirectory, isDirectory: true, relativeTo: cwd)
      .standardizedFileURL
    let both = !site && !cache
    do {
      let removed = try Clean.run(options: options, site: site || both, cache: cache || both)
      for path in removed { print("removed \(path)") }
    } catch let error as BuildError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode.failure
    }
  }
}
