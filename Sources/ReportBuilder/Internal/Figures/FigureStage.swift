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

  /// Bump when the builder draws figures differently (Plotting or a figure kind changes).
  static let formatVersion = "figures-4"

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
  static func runs(of figure: FigureDirective, manuscript: Manuscript, index: RunIndex) -> [FigureRuns] {
    figure.experiments.compactMap { id in
      guard let experiment = manuscript.experimentByID[id] else { return nil }
      return FigureRuns(experiment: experiment, results: index.results(id))
    }
  }

  /// Everything that decides a figure's pixels and data: its spec, its runs (by key and
  /// content checksum), the engine and the builder's drawing version.
  struct CacheKey: Encodable {
    struct Run: Encodable {
      var seed: UInt64
      var key: String
      var checksum: String
    }

    struct Experiment: Encodable {
      var id: String
      var steps: Int
      var runs: [Run]
    }

    var format: String
    var engine: String
    var spec: FigureSpec
    var experiments: [Experiment]
  }

  /// The cache key: SHA-256 of the canonical JSON of ``CacheKey``.
  static func key(of figure: FigureDirective, manuscript: Manuscript, checksums: [RunKey: String]) -> String {
    let experiments = figure.experiments.compactMap { id -> CacheKey.Experiment? in
      guard let experiment = manuscript.experimentByID[id] else { return nil }
      return CacheKey.Experiment(
        id: id, steps: experiment.config.steps,
        runs: experiment.runConfigs.map { config in
          let key = RunKey(config: config)
          return CacheKey.Run(seed: config.seed, key: key.hex, checksum: checksums[key] ?? "missing")
        })
    }
    let value = CacheKey(
      format: formatVersion, engine: EngineInfo.version, spec: figure.spec, experiments: experiments)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Plain strings, integers and finite limits always encode.
    let json = (try? encoder.encode(value)) ?? Data()
    return Hashing.sha256Hex(json)
  }

  func run(manuscript: Manuscript, index: RunIndex, checksums: [RunKey: String],
           warnings: inout [String]) throws -> (figures: [String: Rendered], rendered: Int, cached: Int) {
    var figures: [String: Rendered] = [:]
    var toRender: [(figure: FigureDirective, key: String)] = []
    for figure in manuscript.figures {
      let key = Self.key(of: figure, manuscript: manuscript, checksums: checksums)
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

    let inputs = toRender.map { item in
      (item.figure, item.key, Self.runs(of: item.figure, manuscript: manuscript, index: index))
    }
    let output = Locked((rendered: [Rendered](), failure: BuildError?.none))
    Parallel.forEach(inputs.count, lanes: jobs) { position, _ in
      let (figure, key, runs) = inputs[position]
      do {
        let (plot, csv) = figure.kind.draw(figure.spec, runs: runs)
        let contents = [
          ("png", try Renderer.png(plot, scale: 2)), ("svg", try Renderer.svg(plot)), ("csv", Array(csv.utf8)),
        ]
        let rendered = try self.store(
          contents, key: key, label: figure.label, width: Int(plot.width.rounded()),
          height: Int(plot.height.rounded()))
        output.withLock { $0.rendered.append(rendered) }
        return true
      } catch {
        let failure = BuildError.figureFailed(label: figure.label, reason: "\(error)")
        output.withLock { if $0.failure == nil { $0.failure = failure } }
        return false
      }
    }
    let done = output.current
    if let failure = done.failure { throw failure }
    for rendered in done.rendered { figures[rendered.label] = rendered }
    return (figures, toRender.count, manuscript.figures.count - toRender.count)
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
}
