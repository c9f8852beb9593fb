import Foundation

/// An exclusive, non-blocking `flock` on a lock file: one build at a time per cache.
/// The lock goes away with the process, so a crashed build never leaves it stuck.
final class BuildLock {
  private let descriptor: Int32
  let path: String

  /// Takes the lock or throws ``BuildError/locked(path:)``.
  init(url: URL) throws {
    path = url.path
    try FileIO.createDirectory(url.deletingLastPathComponent())
    descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw BuildError.io(path: url.path, reason: String(cString: strerror(errno)))
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      throw BuildError.locked(path: url.path)
    }
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
