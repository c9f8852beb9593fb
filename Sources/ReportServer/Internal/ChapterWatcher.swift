import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Watches the chapters folder with inotify and reports every change to a Markdown
/// file (written, created, deleted, renamed in or out). Editors' temporary and
/// hidden files are ignored. If the folder itself is removed or replaced, the watch
/// is set up again once it is back.
///
/// Runs on its own thread; ``stop()`` ends it within ``pollMilliseconds``.
final class ChapterWatcher: @unchecked Sendable {
  /// How long one wait for events lasts; bounds how fast ``stop()`` takes effect.
  static let pollMilliseconds: Int32 = 100

  private let directory: String
  private let onChange: @Sendable (String) -> Void
  private let descriptor: Int32
  private var watch: Int32 = -1
  private let lock = NSLock()
  private var stopped = false
  private let done = DispatchSemaphore(value: 0)

  /// Starts watching `directory`; `onChange(fileName)` is called on the watcher's thread.
  ///
  /// - Throws: ``ServeError/watch(path:reason:)`` when inotify is unavailable or the
  ///   folder cannot be watched.
  init(directory: URL, onChange: @escaping @Sendable (String) -> Void) throws {
    self.directory = directory.path
    self.onChange = onChange
    descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    guard descriptor >= 0 else {
      throw ServeError.watch(path: directory.path, reason: String(cString: strerror(errno)))
    }
    guard addWatch() else {
      let reason = String(cString: strerror(errno))
      close(descriptor)
      throw ServeError.watch(path: directory.path, reason: reason)
    }
    let thread = Thread { [self] in loop() }
    thread.name = "chapter-watcher"
    thread.start()
  }

  /// Stops watching and waits for the thread to end.
  func stop() {
    let first = lock.withLock { () -> Bool in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    done.wait()
    close(descriptor)
  }

  /// Whether a file name is a chapter (not a hidden, backup or temporary file).
  static func isChapter(_ name: String) -> Bool {
    name.hasSuffix(".md") && !name.hasPrefix(".") && !name.hasPrefix("#")
  }

  private func addWatch() -> Bool {
    let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
      | UInt32(IN_DELETE_SELF | IN_MOVE_SELF)
    watch = inotify_add_watch(descriptor, directory, mask)
    return watch >= 0
  }

  private func loop() {
    defer { done.signal() }
    let size = 64 * 1024
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
    defer { buffer.deallocate() }
    while !lock.withLock({ stopped }) {
      if watch < 0 {
        // The folder went away; look for it again.
        if addWatch() { onChange("") } else { usleep(UInt32(Self.pollMilliseconds) * 1000); continue }
      }
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, Self.pollMilliseconds) > 0 else { continue }
      let count = read(descriptor, buffer, size)
      guard count > 0 else { continue }
      var offset = 0
      var changed: [String] = []
      while offset + MemoryLayout<inotify_event>.size <= count {
        let event = (buffer + offset).loadUnaligned(as: inotify_event.self)
        let nameStart = buffer + offset + MemoryLayout<inotify_event>.size
        let name = event.len > 0
          ? String(cString: nameStart.assumingMemoryBound(to: CChar.self)) : ""
        if event.mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
          if event.mask & UInt32(IN_IGNORED) == 0 { inotify_rm_watch(descriptor, watch) }
          watch = -1
          changed.append("")
        } else if Self.isChapter(name) {
          changed.append(name)
        }
        offset += MemoryLayout<inotify_event>.size + Int(event.len)
      }
      for name in changed { onChange(name) }
    }
  }
}
