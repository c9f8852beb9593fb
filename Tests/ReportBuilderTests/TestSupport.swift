import Foundation
import GANEngine
import Testing

@testable import ReportBuilder

/// A temporary project folder (chapters/, build/, .report-cache/), removed on deinit.
final class TempProject {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("rb-test-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  var options: BuildOptions {
    var options = BuildOptions(projectRoot: root)
    options.quiet = true
    options.jobs = 2
    return options
  }

  var build: URL { root.appendingPathComponent("build") }
  var cache: URL { root.appendingPathComponent(".report-cache") }

  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: root.appendingPathComponent("chapters/\(name)"))
  }

  /// Every file of the published site with its bytes.
  func siteFiles(_ folder: URL? = nil) throws -> [String: Data] {
    let base = folder ?? build
    var out: [String: Data] = [:]
    for path in FileIO.files(under: base) {
      out[path] = try Data(contentsOf: base.appendingPathComponent(path))
    }
    return out
  }

  /// Runs a build with a counting (or failing) run function and collected warnings.
  func build(
    options: BuildOptions? = nil, counter: RunCounter? = nil,
    function: RunFunction? = nil
  ) throws -> BuildSummary {
    var pipeline = BuildPipeline(options: options ?? self.options)
    let base = function ?? engineRunFunction
    if let counter {
      pipeline.runFunction = { config, progress in
        counter.add(config)
        return try base(config, progress)
      }
    } else {
      pipeline.runFunction = base
    }
    pipeline.warn = { _ in }
    return try pipeline.run()
  }
}

/// Counts which configurations were trained.
final class RunCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var seeds: [String] = []
  func add(_ config: ExperimentConfig) { lock.withLock { seeds.append("\(config.norm.rawValue)-s\(config.seed)") } }
  var runs: [String] { lock.withLock { seeds.sorted() } }
}



/// Fixtures live in the source tree; `RECORD_GOLDEN=1` rewrites golden files there.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures", isDirectory: true)

  static func url(_ path: String) -> URL {
    if let bundled = Bundle.module.url(forResource: "Fixtures", withExtension: nil) {
      return bundled.appendingPathComponent(path)
    }
    return directory.appendingPathComponent(path)
  }

  static func text(_ path: String) throws -> String {
    try String(contentsOf: url(path), encoding: .utf8)
  }

  /// Compares `actual` with the golden file at `path`.
  static func expectGolden(_ actual: String, _ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
      try Data(actual.utf8).write(to: directory.appendingPathComponent(path))
      return
    }
    let expected = try text(path)
    #expect(actual == expected, "golden \(path) differs:\n\(actual)", sourceLocation: sourceLocation)
  }
}

/// Short runs for tests: 40 steps on 128 points with 16 hidden units.
func quickExperiment(_ id: String, norm: String = "none", seeds: String = "1, 2", extra: String = "") -> String {
  """
  ```{experiment} \(id)
  norm: \(norm)
  steps: 40
  batch-size: 128
  width: 16
  seeds: \(seeds)
  \(extra)
  ```

  """
}
