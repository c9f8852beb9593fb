import FlyingFox
import FlyingSocks
import Foundation
import ReportBuilder

/// `report serve`: builds the site, serves it over HTTP, rebuilds when a chapter
/// changes, and tells every open page to update itself.
///
/// The files written to the site folder are exactly those of `report build`; the
/// live-update script is added only to HTML as it is served. A failed build leaves
/// the last good site in place and shows its diagnostics over the open pages.
///
/// ```swift
/// let server = try PreviewServer(options: options)
/// try await server.start()          // listening; the first build is under way
/// print(server.port)
/// await server.stop()
/// ```
public final class PreviewServer: @unchecked Sendable {
  private let options: ServeOptions
  /// What the open pages are told (tests read it).
  let hub = LiveHub()
  private let http: HTTPServer
  private let lock = NSLock()
  private var loop: RebuildLoop?
  private var watcher: ChapterWatcher?
  private var runTask: Task<Void, Never>?
  private var runError: (any Error)?
  /// Chapters saved while a build runs: told after it, so that they do not break the
  /// live progress lines on a terminal.
  private var savedDuringBuild: [String]?

  /// Checks the host; nothing listens until ``start()``.
  ///
  /// - Throws: ``ServeError/badHost(_:)``, or ``ServeError/listen(host:port:reason:)``
  ///   for a port outside 0…65535.
  public init(options: ServeOptions) throws {
    self.options = options
    guard (0...65535).contains(options.port) else {
      throw ServeError.listen(host: options.host, port: options.port, reason: "ports are 0 to 65535")
    }
    let port = UInt16(options.port)
    let handler = PreviewHandler(root: options.build.outputDirectory.standardizedFileURL, hub: hub)
    let host = options.host == "localhost" ? "127.0.0.1" : options.host
    do {
      if host.contains(":") {
        http = HTTPServer(address: try sockaddr_in6.inet6(ip6: host, port: port), logger: .disabled, handler: handler)
      } else {
        http = HTTPServer(address: try sockaddr_in.inet(ip4: host, port: port), logger: .disabled, handler: handler)
      }
    } catch {
      throw ServeError.badHost(options.host)
    }
  }

  /// The port listened on (useful after asking for port 0), or nil before ``start()``.
  public var port: Int? {
    get async {
      guard let address = await http.listeningAddress else { return nil }
      switch address {
      case .ip4(_, let port), .ip6(_, let port): return Int(port)
      default: return nil
      }
    }
  }

  /// Open pages (WebSocket connections).
  public var connectedPages: Int { hub.clientCount }

  /// Successful builds so far (the version pages are told).
  public var builds: Int { hub.current.version }

  /// Listens, starts watching the chapters, and starts the first build in the background.
  ///
  /// - Throws: ``ServeError/portInUse(host:port:)`` when the port is taken,
  ///   ``ServeError/listen(host:port:reason:)``, ``ServeError/watch(path:reason:)``.
  public func start() async throws {
    let task = Task { [http, self] in
      do { try await http.run() } catch { lock.withLock { runError = error } }
    }
    lock.withLock { runTask = task }
    let deadline = RebuildLoop.now() + 10
    while !(await http.isListening) {
      if let error = lock.withLock({ runError }) { throw translate(error) }
      if RebuildLoop.now() > deadline {
        throw ServeError.listen(host: options.host, port: options.port, reason: "timed out")
      }
      try await Task.sleep(nanoseconds: 5_000_000)
    }
    let loop = RebuildLoop(
      scheduler: RebuildScheduler(quietPeriod: options.quietPeriod, maxDelay: options.maxDelay)
    ) { [self] isCancelled in
      build(isCancelled: isCancelled)
    }
    do {
      let watcher = try ChapterWatcher(directory: options.build.chaptersDirectory) { [options] name in
        if !name.isEmpty { self.noteChange(name) }
        loop.fileChanged()
      }
      lock.withLock {
        self.loop = loop
        self.watcher = watcher
      }
    } catch {
      await http.stop()
      throw error
    }
    loop.start()
    loop.fileChanged()
  }

  /// ``start()``, then serve until ``stop()`` is called.
  public func run() async throws {
    try await start()
    await lock.withLock({ runTask })?.value
  }

  /// Stops watching and closes the listening socket and every connection. A build in
  /// progress is not waited for (runs already finished are in the cache).
  public func stop() async {
    let (loop, watcher) = lock.withLock { () -> (RebuildLoop?, ChapterWatcher?) in
      defer { self.loop = nil; self.watcher = nil }
      return (self.loop, self.watcher)
    }
    loop?.stop()
    watcher?.stop()
    hub.closeAll()
    await http.stop(timeout: 0)
  }

  // MARK: - Building

  private func noteChange(_ name: String) {
    let now = lock.withLock { () -> Bool in
      guard savedDuringBuild != nil else { return true }
      if savedDuringBuild?.contains(name) == false { savedDuringBuild?.append(name) }
      return false
    }
    if now { options.log("changed: \(name)") }
  }

  private func build(isCancelled: @escaping @Sendable () -> Bool) {
    lock.withLock { savedDuringBuild = [] }
    defer {
      let saved = lock.withLock { () -> [String] in
        defer { savedDuringBuild = nil }
        return savedDuringBuild ?? []
      }
      if !saved.isEmpty { options.log("changed during the build: " + saved.joined(separator: ", ")) }
    }
    let hub = self.hub
    let log = options.log
    let progress = TrainingStatus()
    var buildOptions = options.build
    buildOptions.isCancelled = isCancelled
    buildOptions.onEvent = { event in
      switch event {
      case .runsPlanned(_, let toTrain) where toTrain > 0:
        log("training \(toTrain) run\(toTrain == 1 ? "" : "s") …")
        progress.finished(0, of: toTrain)
        hub.update { $0.status = progress.status }
      case .runFinished(_, let finished, let toTrain):
        progress.finished(finished, of: toTrain)
        hub.update { $0.status = progress.status }
      case .trainingProgress(let done, let total):
        progress.steps(done, of: total)
        hub.update { $0.status = progress.status }
      default:
        break
      }
    }
    hub.update { $0.status = "building…" }
    do {
      let summary = try ReportBuilder.build(options: buildOptions)
      hub.update {
        $0.version += 1
        $0.errors = []
        $0.status = ""
      }
      var line = "built in " + String(format: "%.2f s", summary.wallSeconds)
      if summary.runsExecuted > 0 {
        line += " (\(summary.runsExecuted) run\(summary.runsExecuted == 1 ? "" : "s") trained)"
      }
      log(line + "; \(hub.clientCount) page\(hub.clientCount == 1 ? "" : "s") open")
    } catch is BuildCancelled {
      log("newer changes: building again with them (finished runs are cached)")
      hub.update { $0.status = "building the newest changes…" }
    } catch {
      let text = (error as? BuildError)?.description ?? "error: \(error)"
      log(text)
      hub.update {
        $0.errors = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        $0.status = ""
      }
    }
  }

  private func translate(_ error: any Error) -> ServeError {
    if case .failed(let type, let code, let message) = error as? SocketError {
      if code == EADDRINUSE { return .portInUse(host: options.host, port: options.port) }
      if code == EADDRNOTAVAIL { return .badHost(options.host) }
      return .listen(host: options.host, port: options.port, reason: "\(type): \(message)")
    }
    return .listen(host: options.host, port: options.port, reason: "\(error)")
  }
}
