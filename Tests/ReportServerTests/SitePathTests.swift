import Foundation
import Testing

@testable import ReportServer

/// Request targets → files inside the site, and every way out of it refused.
@Suite struct SitePathTests {
  // MARK: - The pure mapping

  @Test(arguments: [
    ("/", ""),
    ("/index.html", "index.html"),
    ("/figures/fig-a.svg", "figures/fig-a.svg"),
    ("/figures//fig-a.svg", "figures/fig-a.svg"),
    ("/index.html?v=3", "index.html"),
    ("/02-bn.html#section", "02-bn.html"),
    ("/a%20b.html", "a b.html"),
    ("/data/", "data"),
  ])
  func acceptedTargets(target: String, relative: String) {
    #expect(SitePath.relativePath(forTarget: target) == relative)
  }

  @Test(arguments: [
    "/../etc/passwd",
    "/figures/../../etc/passwd",
    "/%2e%2e/etc/passwd",
    "/%2E%2E/etc/passwd",
    "/.%2e/etc/passwd",
    "/figures/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/..%2fetc/passwd",
    "/a%2fb",
    "/a%5cb",
    "/a%00b",
    "/./index.html",
    "/.report-cache/lock",
    "etc/passwd",
    "http://example.com/index.html",
    "",
    "/%zz",
    "/%c0%ae%c0%ae/etc/passwd",
  ])
  func refusedTargets(target: String) {
    #expect(SitePath.relativePath(forTarget: target) == nil, "\(target) should be refused")
  }

  // MARK: - On disk

  @Test func filesIndexesRedirectsAndSymlinks() throws {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("rs-path-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: base) }
    let site = base.appendingPathComponent("site", isDirectory: true)
    let fm = FileManager.default
    try fm.createDirectory(at: site.appendingPathComponent("figures"), withIntermediateDirectories: true)
    try fm.createDirectory(at: site.appendingPathComponent("empty"), withIntermediateDirectories: true)
    try Data("<p>home</p>".utf8).write(to: site.appendingPathComponent("index.html"))
    try Data("svg".utf8).write(to: site.appendingPathComponent("figures/a.svg"))
    try Data("secret".utf8).write(to: base.appendingPathComponent("secret.txt"))
    try fm.createSymbolicLink(atPath: site.appendingPathComponent("out.txt").path, withDestinationPath: "../secret.txt")
    try fm.createSymbolicLink(atPath: site.appendingPathComponent("outdir").path, withDestinationPath: base.path)
    try fm.createSymbolicLink(atPath: site.appendingPathComponent("in.svg").path, withDestinationPath: "figures/a.svg")

    func resolve(_ target: String) -> SitePath.Resolution { SitePath.resolve(target: target, root: site) }
    func file(_ path: String) -> SitePath.Resolution {
      guard let real = realpath(site.appendingPathComponent(path).path, nil) else { return .notFound }
      defer { free(real) }
      return .file(URL(fileURLWithPath: String(cString: real)))
    }

    #expect(resolve("/") == file("index.html"))
    #expect(resolve("/index.html") == file("index.html"))
    #expect(resolve("/figures/a.svg") == file("figures/a.svg"))
    #expect(resolve("/in.svg") == file("figures/a.svg"), "a symlink inside the site is followed")
    #expect(resolve("/figures") == .redirect("/figures/"))
    #expect(resolve("/figures/") == .notFound, "no directory listings")
    #expect(resolve("/empty/") == .notFound)
    #expect(resolve("/missing.html") == .notFound)
    #expect(resolve("/out.txt") == .notFound, "a symlink to a file outside")
    #expect(resolve("/outdir/secret.txt") == .notFound, "a symlink to a folder outside")
    #expect(resolve("/outdir/") == .notFound)
    #expect(resolve("/../secret.txt") == .notFound)
    #expect(resolve("/%2e%2e/secret.txt") == .notFound)
    #expect(resolve("/%2e%2e%2fsecret.txt") == .notFound)
    #expect(resolve(base.appendingPathComponent("secret.txt").path) == .notFound,
            "an absolute path is taken relative to the site")
  }

  // MARK: - Content types

  @Test func contentTypes() {
    #expect(MimeType.forFile("index.html") == "text/html; charset=utf-8")
    #expect(MimeType.forFile("style.css") == "text/css; charset=utf-8")
    #expect(MimeType.forFile("a.PNG") == "image/png")
    #expect(MimeType.forFile("a.svg") == "image/svg+xml")
    #expect(MimeType.forFile("fig.csv") == "text/csv; charset=utf-8")
    #expect(MimeType.forFile("manifest.json") == "application/json")
    #expect(MimeType.forFile("noextension") == "application/octet-stream")
    #expect(MimeType.isHTML("a.html") && !MimeType.isHTML("a.svg"))
  }
}
