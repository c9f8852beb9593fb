import Foundation

/// File operations the builder needs, with errors turned into ``BuildError/io(path:reason:)``.
enum FileIO {
  /// Writes `bytes` to a temporary file in the same folder, then renames it over `url`,
  /// so readers never see a half-written file.
  static func writeAtomically(_ bytes: some Collection<UInt8>, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    try createDirectory(folder)
    let temp = folder.appendingPathComponent(".tmp-\(getpid())-\(UUID().uuidString)")
    do {
      try Data(bytes).write(to: temp)
      guard rename(temp.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temp)
        throw BuildError.io(path: url.path, reason: reason)
      }
    } catch let error as BuildError {
      throw error
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw BuildError.io(path: url.path, reason: error.localizedDescription)
    }
  }

  /// Writes `bytes` to `url` (inside a private temporary build folder, no rename needed).
  ///
  /// Plain `open`/`write`/`close`, without the `fsync` that Foundation's `Data.write`
  /// issues per file: the staging folder becomes visible only through one rename, so a
  /// file is never seen half-written, and two hundred syncs would make a prose edit
  /// wait on the disk.
  static func write(_ bytes: some Collection<UInt8>, to url: URL) throws {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw BuildError.io(path: url.path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    let written: Bool = Array(bytes).withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += n
      }
      return true
    }
    guard written else { throw BuildError.io(path: url.path, reason: String(cString: strerror(errno))) }
  }

  static func write(_ text: String, to url: URL) throws {
    try write(Array(text.utf8), to: url)
  }

  /// Hard-links `source` to `target` (same file system), else copies it.
  static func linkOrCopy(_ source: URL, to target: URL) throws {
    if link(source.path, target.path) == 0 { return }
    do {
      try FileManager.default.copyItem(at: source, to: target)
    } catch {
      throw BuildError.io(path: target.path, reason: error.localizedDescription)
    }
  }

  static func read(_ url: URL) throws -> [UInt8] {
    do {
      return [UInt8](try Data(contentsOf: url))
    } catch {
      throw BuildError.io(path: url.path, reason: error.localizedDescription)
    }
  }

  static func createDirectory(_ url: URL) throws {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw BuildError.io(path: url.path, reason: error.localizedDescription)
    }
  }

  static func exists(_ url: URL) -> Bool {
    FileManager.default.fileExists(atPath: url.path)
  }

  /// Every regular file under `root`, as paths relative to it with `/`, sorted.
  static func files(under root: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(
      at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [])
    else { return [] }
    let base = root.standardizedFileURL.path
    var out: [String] = []
    for case let url as URL in enumerator {
      let values = try? url.resourceValues(forKeys: [.isRegularFileKey])
      guard values?.isRegularFile == true else { continue }
      var path = url.standardizedFileURL.path
      if path.hasPrefix(base) { path.removeFirst(base.count) }
      while path.hasPrefix("/") { path.removeFirst() }
      out.append(path)
    }
    return out.sorted()
  }
}
