import Foundation
import GANEngine
import Plotting

/// Renders every figure, or takes it from the figure cache when its spec and the
/// content of its runs are unchanged (key = SHA-256 of both).
struct FigureStage {
  /// A figure's files in the cache folder, ready to be linked into the site.
  struct Rendered: Sendable {
    struct File: Sendable {
      /// `png`, `svg` or `csv`.
      var kind: String
      var url: URL
      var sha256: String
    }

    var label: String
    var files: [File]
    /// CSS pixels.
    var width: Int
    var height: Int
  }

  /// Bump when the builder draws figures differently (Plotting or FigureBuilder changes).
  static let formatVersion = "figures-3"

  let store: EntryStore
  let useCache: Bool
  let jobs: Int

  init(cacheDirectory: URL, useCache: Bool, jobs: Int) {
    store = EntryStore(
      directory: cacheDirectory.appendingPathComponent("figures"), magic: "RBFIG002", fileExtension: "fig")
    self.useCache = useCache
    self.jobs = jobs
  }

  /// The runs a figure draws, by experiment, in seed order.
  static func runs(of figure: FigureDirective, site: Site, results: [RunKey: RunResult])
    -> [FigureBuilder.ExperimentRuns] {
    figure.experiments.compactMap { id in
      guard let experiment = site.experimentByID[id] else { return nil }
      let pairs = experiment.runConfigs.compactMap { config -> (seed: UInt64, result: RunResult)? in
        results[RunKey(config: config)].map { (config.seed, $0) }
      }
      return FigureBuilder.ExperimentRuns(experiment: experiment, results: pairs)
    }
  }

  /// The cache key: everything that decides the figure's pixels and data.
  static func key(of figure: FigureDirective, site: Site, checksums: [RunKey: String]) -> String {
    var spec = [
      formatVersion, "engine \(EngineInfo.version)", "kind \(figure.kind.rawValue)",
      "size \(figure.width)x\(figure.height)", "columns \(figure.columns)",
      "xlim \(figure.xlim.map { "\($0.lowerBound),\($0.upperBound)" } ?? "auto")",
      "ylim \(figure.ylim.map { "\($0.lowerBound),\($0.upperBound)" } ?? "auto")",
      "seed \(figure.seed)", "curves \(figure.curves.map(\.rawValue).joined(separator: ","))",
      "data-seed \(figure.dataSeed)",
      // A default size or column count is chosen by the builder; a written one is kept.
      "explicit \(["size", "columns"].filter { key in figure.block.entries.contains { $0.key == key } })",
    ]
    for id in figure.experiments {
      guard let experiment = site.experimentByID[id] else { continue }
      spec.append("experiment \(id) steps \(experiment.config.steps)")
      for config in experiment.runConfigs {
        let key = RunKey(config: config)
        spec.append("  seed \(config.seed) \(key.hex) \(checksums[key] ?? "missing")")
      }
    }
    return Hashing.sha256Hex(spec.joined(separator: "\n"))
  }

  func run(site: Site, results: [RunKey: RunResult], checksums: [RunKey: String],
           warnings: inout [String]) throws -> (figures: [String: Rendered], rendered: Int, cached: Int) {
    var figures: [String: Rendered] = [:]
    var toRender: [(figure: FigureDirective, key: String)] = []
    for figure in site.figures {
      let key = Self.key(of: figure, site: site, checksums: checksums)
      if useCache {
        switch store.read(key) {
        case .found(let payload, _):
          if let rendered = decode(payload, key: key, label: figure.label) {
            figures[figure.label] = rendered
            continue
          }
          warnings.append("cache entry for figure \(figure.label) does not match its files; re-rendering")
        case .corrupt(let reason):
          warnings.append("cache entry for figure \(figure.label) is corrupt (\(reason)); re-rendering")
        case .missing:
          break
        }
      }
      toRender.append((figure, key))
    }

    let output = RenderedBox()
    let inputs = toRender.map { item in
      (item.figure, item.key, Self.runs(of: item.figure, site: site, results: results))
    }
    let work: @Sendable (Int) -> Void = { index in
      let (figure, key, runs) = inputs[index]
      do {
        let (plot, csv) = FigureBuilder(directive: figure, runs: runs).build()
        let contents = [
          ("png", try Renderer.png(plot, scale: 2)), ("svg", try Renderer.svg(plot)), ("csv", Array(csv.utf8)),
        ]
        output.add(try self.store(
          contents, key: key, label: figure.label, width: Int(plot.width.rounded()),
          height: Int(plot.height.rounded())))
      } catch {
        output.fail(BuildError.figureFailed(label: figure.label, reason: "\(error)"))
      }
    }
    if jobs > 1 && inputs.count > 1 {
      // Bounded parallelism: `jobs` lanes, each taking every jobs-th figure.
      let lanes = min(jobs, inputs.count)
      DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        var index = lane
        while index < inputs.count {
          work(index)
          index += lanes
        }
      }
    } else {
      for index in inputs.indices { work(index) }
    }
    if let failure = output.failure { throw failure }
    for rendered in output.all { figures[rendered.label] = rendered }
    return (figures, toRender.count, site.figures.count - toRender.count)
  }

  // MARK: - Cache entries

  /// A figure's files live in `figures/<key>/figure.{png,svg,csv}`; the checksummed
  /// entry `figures/<key>.fig` records the size, modification time and SHA-256 of each.
  /// A hit checks sizes and times (a changed file is re-rendered); the files are then
  /// hard-linked into the site, so a no-op build copies no figure bytes.
  private func directory(for key: String) -> URL {
    store.directory.appendingPathComponent(key, isDirectory: true)
  }

  private func store(_ contents: [(String, [UInt8])], key: String, label: String, width: Int, height: Int)
    throws -> Rendered {
    let folder = directory(for: key)
    let temp = store.directory.appendingPathComponent(".tmp-\(getpid())-\(UUID().uuidString)", isDirectory: true)
    try FileIO.createDirectory(temp)
    var files: [Rendered.File] = []
    var writer = ByteWriter()
    writer.append(UInt32(width))
    writer.append(UInt32(height))
    writer.append(UInt32(contents.count))
    for (kind, bytes) in contents {
      try FileIO.write(bytes, to: temp.appendingPathComponent("figure.\(kind)"))
      let sha = Hashing.sha256Hex(bytes)
      files.append(Rendered.File(kind: kind, url: folder.appendingPathComponent("figure.\(kind)"), sha256: sha))
    }
    try? FileManager.default.removeItem(at: folder)
    guard rename(temp.path, folder.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temp)
      throw BuildError.io(path: folder.path, reason: reason)
    }
    for file in files {
      guard let stamp = Self.stamp(file.url) else {
        throw BuildError.io(path: file.url.path, reason: "cannot read the file just written")
      }
      writer.append(Array(file.kind.utf8))
      writer.append(Array(file.sha256.utf8))
      writer.append(Array(stamp.utf8))
    }
    try store.write(key, payload: writer.bytes)
    return Rendered(label: label, files: files, width: width, height: height)
  }

  /// The files of a cache entry, or nil when the entry does not match them.
  func decode(_ payload: [UInt8], key: String, label: String) -> Rendered? {
    var reader = ByteReader(payload)
    guard let width = reader.uint32(), let height = reader.uint32(), let count = reader.uint32() else { return nil }
    var files: [Rendered.File] = []
    for _ in 0..<count {
      guard let kind = reader.data().map({ String(decoding: $0, as: UTF8.self) }),
            let sha = reader.data().map({ String(decoding: $0, as: UTF8.self) }),
            let stamp = reader.data().map({ String(decoding: $0, as: UTF8.self) })
      else { return nil }
      let url = directory(for: key).appendingPathComponent("figure.\(kind)")
      guard Self.stamp(url) == stamp else { return nil }
      files.append(Rendered.File(kind: kind, url: url, sha256: sha))
    }
    guard reader.isAtEnd else { return nil }
    return Rendered(label: label, files: files, width: Int(width), height: Int(height))
  }

  /// `size:mtime-ns` of a file, or nil when it is missing.
  static func stamp(_ url: URL) -> String? {
    var info = stat()
    guard stat(url.path, &info) == 0 else { return nil }
    #if canImport(Darwin)
    let time = info.st_mtimespec
    #else
    let time = info.st_mtim
    #endif
    return "\(info.st_size):\(time.tv_sec).\(time.tv_nsec)"
  }

  private final class RenderedBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Rendered] = []
    private var error: BuildError?
    func add(_ item: Rendered) { lock.withLock { items.append(item) } }
    func fail(_ error: BuildError) { lock.withLock { if self.error == nil { self.error = error } } }
    var all: [Rendered] { lock.withLock { items } }
    var failure: BuildError? { lock.withLock { error } }
  }
}
