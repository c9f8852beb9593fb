import ArgumentParser
import Foundation
import ReportBuilder

/// `report plan`: what `report build` would train and render, and why, without doing it.
struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show what `report build` would train and render, and why, without doing it.",
    discussion: """
      Reads the chapters and looks every run and figure up in the cache, as a build \
      would. Each one that would be computed is listed with its reasons: not in the \
      cache, a configuration key changed since the last build (old → new), the engine \
      version changed (or the OpenBLAS core of an openblas-kernel run), a corrupt cache \
      entry. Nothing is trained, \
      rendered or written. Exits 1 when the chapters have errors.
      """
  )

  @OptionGroup var folders: FolderOptions

  @Flag(name: .long, help: "Also name every run and figure that would be reused.")
  var verbose = false

  func run() throws {
    let options = folders.buildOptions()
    do {
      print(try ReportBuilder.plan(options: options).text(verbose: verbose))
    } catch let error as BuildError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode.failure
    }
  }
}
