import Foundation

/// Maps a request target to a file inside the site folder, refusing anything that
/// could reach outside it.
///
/// The target is taken as sent (still percent-encoded) and split into segments
/// first; each segment is decoded on its own, so `%2f` can never become a separator
/// and `%2e%2e` is seen as the `..` it is. Refused: a target that does not start
/// with `/`, a segment that is `.` or `..` or hidden (starts with `.`), one that
/// decodes to something holding `/`, `\` or NUL, or one that is not valid
/// percent-encoded UTF-8. On disk, the file's real path (symlinks resolved) must lie
/// inside the real path of the site folder. Folders are served only through their
/// `index.html`; there are no listings.
enum SitePath {
  /// What a request target resolves to.
  enum Resolution: Equatable {
    /// A regular file inside the site.
    case file(URL)
    /// A folder named without its trailing slash: redirect here so relative links work.
    case redirect(String)
    /// Anything else: missing, refused, or outside the site.
    case notFound
  }

  /// The site-relative path of `target` (`""` for the root), or nil when it is refused.
  /// Pure: looks at the string only.
  static func relativePath(forTarget target: String) -> String? {
    var path = Substring(target)
    if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
    guard path.hasPrefix("/") else { return nil }
    var segments: [String] = []
    for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
      guard let segment = String(raw).removingPercentEncoding, !segment.isEmpty else { return nil }
      if segment.hasPrefix(".") { return nil }  // `.`, `..`, hidden files
      if segment.contains(where: { $0 == "/" || $0 == "\\" || $0 == "\0" }) { return nil }
      segments.append(segment)
    }
    return segments.joined(separator: "/")
  }

  /// Resolves `target` against the site folder `root` on disk.
  static func resolve(target: String, root: URL) -> Resolution {
    guard let relative = relativePath(forTarget: target),
      let rootReal = realPath(root.path)
    else { return .notFound }
    let candidate = relative.isEmpty ? root : root.appendingPathComponent(relative)
    guard let real = realPath(candidate.path), isInside(real, root: rootReal) else { return .notFound }
    switch kind(of: real) {
    case .file:
      return .file(URL(fileURLWithPath: real))
    case .directory:
      let rawPath = String(target.prefix { $0 != "?" && $0 != "#" })
      if !rawPath.hasSuffix("/") { return .redirect(rawPath + "/") }
      guard let index = realPath(real + "/index.html"), isInside(index, root: rootReal),
        kind(of: index) == .file
      else { return .notFound }
      return .file(URL(fileURLWithPath: index))
    case .other:
      return .notFound
    }
  }

  private enum Kind { case file, directory, other }

  private static func kind(of path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .other }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  private static func isInside(_ path: String, root: String) -> Bool {
    path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
