import ArgumentParser
import Foundation
import GANEngine
import ReportBuilder

/// `--chapters`, `--output` and `--cache`, the three folders every command that reads
/// the chapters shares (resolved against the working directory), and `--kernel`,
/// which decides the runs' keys.
struct FolderOptions: ParsableArguments {
  @Option(name: .long, help: "Folder of the chapters.")
  var chapters: String = "chapters"

  @Option(name: .long, help: "Folder the site is published to.")
  var output: String = "build"

  @Option(name: .long, help: "Folder of the run and figure cache.")
  var cache: String = ".report-cache"

  @Option(
    name: .long,
    help: "Product kernel of experiments without a `kernel` key: portable (the same bits on every CPU) or openblas.")
  var kernel: ProductKernel = .portable

  /// Build options with these folders and every other setting at its default.
  func buildOptions() -> BuildOptions {
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    var options = BuildOptions(projectRoot: cwd)
    func folder(_ path: String) -> URL {
      URL(fileURLWithPath: path, isDirectory: true, relativeTo: cwd).standardizedFileURL
    }
    options.chaptersDirectory = folder(chapters)
    options.outputDirectory = folder(output)
    options.cacheDirectory = folder(cache)
    options.kernel = kernel
    return options
  }
}
