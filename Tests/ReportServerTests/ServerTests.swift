import Foundation
import ReportBuilder
import Testing

@testable import ReportServer

/// A real server on 127.0.0.1 (a free port) over a small project: what it serves,
/// what it writes, how it rebuilds, and how it copes with many or rude clients.
@Suite(.serialized) struct ServerTests {
  /// A temporary project with one chapter and a data figure (no training needed).
  final class Project: @unchecked Sendable {
    let root: URL

    init() throws {
      root = FileManager.default.temporaryDirectory
        .appendingPathComponent("rs-serve-\(UUID().uuidString)", isDirectory: true)
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent("chapters"), withIntermediateDirectories: true)
      try write(prose: "The first sentence.")
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var build: URL { root.appendingPathComponent("build") }

    func write(prose: String, figureKey: String = "data-seed: 0") throws {
      let text = """
        ---
        title: Intro
        report-title: Serve test
        ---

        \(prose)

        ```{figure} fig-data
        kind: data
        \(figureKey)
        caption: Real points against the noise.
        ```

        """
      try Data(text.utf8).write(to: root.appendingPathComponent("chapters/01-intro.md"))
    }

    func options(port: Int = 0) -> ServeOptions {
      var build = BuildOptions(projectRoot: root)
      build.quiet = true
      build.jobs = 1
      var options = ServeOptions(build: build)
      options.port = port
      options.log = { _ in }
      return options
    }

    func files(in folder: URL) throws -> [String: Data] {
      var out: [String: Data] = [:]
      let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
      while let url = enumerator?.nextObject() as? URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { continue }
        out[String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))] =
          try Data(contentsOf: url)
      }
      return out
    }
  }

  /// Starts a server and waits for its first good build.
  func started(_ project: Project) async throws -> (PreviewServer, HTTPProbe) {
    let server = try PreviewServer(options: project.options())
    try await server.start()
    let port = try #require(await server.port)
    #expect(await eventually { server.builds >= 1 })
    return (server, HTTPProbe(port: port))
  }

  // MARK: - What is served and what is written

  @Test func servesWithTheScriptAndWritesWhatBuildWrites() async throws {
    let project = try Project()
    let (server, http) = try await started(project)
    defer { Task { await server.stop() } }

    let page = try http.get("/")
    #expect(page.status == 200)
    #expect(page.headers["content-type"] == "text/html; charset=utf-8")
    #expect(page.text.contains("id=\"\(LiveScript.elementID)\""))
    #expect(page.text.contains("The first sentence."))
    let css = try http.get("/assets/style.css")
    #expect(css.status == 200 && css.headers["content-type"] == "text/css; charset=utf-8")
    let svg = try http.get("/figures/fig-data.svg")
    #expect(svg.status == 200 && svg.headers["content-type"] == "image/svg+xml")
    #expect(!svg.text.contains(LiveScript.elementID))
    #expect(svg.headers["cache-control"] == "no-store")
    #expect(try http.get("/figures/fig-data.svg?v=0123456789abcdef").headers["cache-control"] == "max-age=3600")
    #expect(try http.get("/index.html?v=1").headers["cache-control"] == "no-store")
    let png = try http.get("/figures/fig-data.png")
    #expect(png.status == 200 && png.headers["content-type"] == "image/png")
    #expect(try http.get("/data/fig-data.csv").headers["content-type"] == "text/csv; charset=utf-8")
    #expect(try http.get("/manifest.json").headers["content-type"] == "application/json")
    let head = try http.get("/index.html", method: "HEAD")
    #expect(head.status == 200 && head.body.isEmpty)
    #expect(try http.get("/index.html", method: "POST").status == 405)

    // The files on disk are exactly those of a plain build, with no live code.
    let served = try project.files(in: project.build)
    for (path, bytes) in served where path.hasSuffix(".html") {
      #expect(!String(decoding: bytes, as: UTF8.self).contains(LiveScript.elementID), "\(path)")
    }
    var plain = BuildOptions(projectRoot: project.root)
    plain.outputDirectory = project.root.appendingPathComponent("plain")
    plain.quiet = true
    await server.stop()
    _ = try ReportBuilder.build(options: plain)
    #expect(try project.files(in: plain.outputDirectory) == served)
  }

  @Test(arguments: [
    "/../chapters/01-intro.md", "/%2e%2e/chapters/01-intro.md", "/%2E%2E%2Fchapters%2F01-intro.md",
    "/..%2fchapters/01-intro.md", "/figures/", "/.report-cache/lock", "/nope.html",
  ])
  func refusesOverTheWire(target: String) async throws {
    let project = try Project()
    let (server, http) = try await started(project)
    defer { Task { await server.stop() } }
    let response = try http.get(target)
    #expect(response.status == 404)
    #expect(!response.text.contains("report-title"))
  }

  // MARK: - Live updates

  @Test func rebuildsOnSaveShowsErrorsAndRecovers() async throws {
    let project = try Project()
    let (server, http) = try await started(project)
    defer { Task { await server.stop() } }
    let before = server.builds

    try project.write(prose: "The first sentence. An appended sentence.")
    #expect(await eventually { server.builds > before })
    #expect(try http.get("/01-intro.html").text.contains("An appended sentence."))
    #expect(server.hub.current.errors.isEmpty)

    let good = server.builds
    try project.write(prose: "Broken now.", figureKey: "colour: red")
    #expect(await eventually { !server.hub.current.errors.isEmpty })
    let errors = server.hub.current.errors
    #expect(errors.first?.hasPrefix("chapters/01-intro.md:") == true, "\(errors)")
    #expect(errors.contains { $0.contains(": error: ") })
    #expect(server.builds == good, "a failed build is not a new version")
    #expect(try http.get("/01-intro.html").text.contains("An appended sentence."), "the last good page stays")

    try project.write(prose: "Fixed again.")
    #expect(await eventually { server.builds > good })
    #expect(server.hub.current.errors.isEmpty)
    #expect(try http.get("/01-intro.html").text.contains("Fixed again."))
  }

  // MARK: - Robustness

  @Test func portInUseNamesThePortAndTheOption() async throws {
    let project = try Project()
    let (server, http) = try await started(project)
    defer { Task { await server.stop() } }
    let second = try PreviewServer(options: project.options(port: http.port))
    await #expect(throws: ServeError.portInUse(host: "127.0.0.1", port: http.port)) {
      try await second.start()
    }
    let text = ServeError.portInUse(host: "127.0.0.1", port: http.port).description
    #expect(text.contains("port \(http.port)") && text.contains("--port"))
  }

  @Test func twoHundredClientsAndDroppedConnections() async throws {
    let project = try Project()
    let (server, http) = try await started(project)
    defer { Task { await server.stop() } }
    // A large file, so a dropped connection leaves the server mid-write.
    try Data(repeating: 7, count: 4 << 20).write(to: project.build.appendingPathComponent("big.bin"))
    for _ in 0..<20 { try http.dropMidway("/big.bin") }

    var sockets: [Int32] = []
    defer { sockets.forEach { close($0) } }
    for _ in 0..<200 { sockets.append(try http.connect()) }
    for fd in sockets { try http.send(fd, target: "/figures/fig-data.svg") }
    var ok = 0
    for fd in sockets where try http.receive(fd).status == 200 { ok += 1 }
    #expect(ok == 200)
    let after = try http.get("/big.bin")
    #expect(after.status == 200 && after.body.count == 4 << 20)
  }
}
