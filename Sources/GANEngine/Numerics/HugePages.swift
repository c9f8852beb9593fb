#if canImport(Glibc)
  import Glibc
#endif

/// Memory for a training session's large buffers (activations, their gradients, the
/// LeakyReLU masks) on transparent huge pages, where Linux offers them.
///
/// A step streams through about 6 MiB of such buffers several times: on 4 KiB pages
/// some 1 500 pages, far more than the first-level TLB holds, with two sets of page
/// tables to walk in a virtual machine, and hardware prefetchers that stop at every
/// page boundary. On huge pages a step took about 5% less time on a Zen 3 guest (which
/// of those it was, that machine had no counters to tell). Each large buffer gets its
/// own 2 MiB-aligned extent, rounded up to whole 2 MiB pages and marked
/// `MADV_HUGEPAGE` before its first touch (systems whose THP setting is `madvise`, as
/// Debian's is, give huge pages only to such regions). The rounding costs at most one
/// huge page per buffer in address space, and only touched pages in memory.
///
/// Where this is not available (another OS, THP `never`, or `REPORT_HUGE_PAGES=0` in
/// the environment) the buffers come from the ordinary allocator. Addresses never
/// change results: only where the bytes live.
enum HugePages {
  /// The size of a transparent huge page on x86-64.
  static let pageBytes = 1 << 21

  /// Buffers from this size on get huge pages (a buffer of a study's block is 512 KiB
  /// to 1 MiB; parameters and per-feature vectors stay on ordinary pages).
  static let minimumBytes = 1 << 18

  /// Whether large buffers ask for huge pages: on Linux, unless `REPORT_HUGE_PAGES=0`.
  static let enabled: Bool = {
    #if canImport(Glibc)
      guard let value = getenv("REPORT_HUGE_PAGES") else { return true }
      return String(cString: value) != "0"
    #else
      return false
    #endif
  }()

  /// Memory for `bytes` bytes on huge pages, or nil when `bytes` is small or huge pages
  /// are off (then the caller uses the ordinary allocator). Release it with
  /// ``release(_:)``.
  static func allocate(bytes: Int) -> UnsafeMutableRawPointer? {
    #if canImport(Glibc)
      guard bytes >= minimumBytes, enabled else { return nil }
      let rounded = (bytes + pageBytes - 1) / pageBytes * pageBytes
      var memory: UnsafeMutableRawPointer? = nil
      guard posix_memalign(&memory, pageBytes, rounded) == 0, let memory else { return nil }
      // Advice only: if the kernel refuses it, the buffer works on ordinary pages.
      _ = madvise(memory, rounded, MADV_HUGEPAGE)
      return memory
    #else
      return nil
    #endif
  }

  /// Storage for `count` values of `T`: on huge pages when ``allocate(bytes:)`` gives
  /// them, otherwise from the ordinary allocator. Pass `onHugePages` back to
  /// ``release(_:onHugePages:)``.
  static func allocate<T>(_: T.Type, count: Int) -> (base: UnsafeMutablePointer<T>, onHugePages: Bool) {
    if let memory = allocate(bytes: count * MemoryLayout<T>.stride) {
      return (memory.bindMemory(to: T.self, capacity: count), true)
    }
    return (.allocate(capacity: count), false)
  }

  /// Returns storage from ``allocate(_:count:)``.
  static func release<T>(_ base: UnsafeMutablePointer<T>, onHugePages: Bool) {
    if onHugePages { release(UnsafeMutableRawPointer(base)) } else { base.deallocate() }
  }

  /// The system's transparent-huge-page setting (`always`, `madvise` or `never`), or
  /// nil where there is none to read.
  static var systemSetting: String? {
    // "always [madvise] never": the selected word is bracketed.
    guard let text = readText("/sys/kernel/mm/transparent_hugepage/enabled"),
      let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]"), open < close
    else { return nil }
    return String(text[text.index(after: open)..<close])
  }

  /// Whether the kernel actually backs a buffer from ``allocate(bytes:)`` with huge
  /// pages: allocates and touches one 2 MiB buffer and reads how much of this process'
  /// memory is on huge pages before and after (`AnonHugePages` in
  /// `/proc/self/smaps_rollup`). Nil when that cannot be read.
  static func probe() -> Bool? {
    guard let before = anonymousHugeKiB() else { return nil }
    guard let memory = allocate(bytes: pageBytes) else { return false }
    defer { release(memory) }
    memory.initializeMemory(as: UInt8.self, repeating: 1, count: pageBytes)
    guard let after = anonymousHugeKiB() else { return nil }
    return after - before >= pageBytes >> 10
  }

  /// `AnonHugePages` of this process, in KiB.
  private static func anonymousHugeKiB() -> Int? {
    guard let text = readText("/proc/self/smaps_rollup") else { return nil }
    let key = "AnonHugePages:"
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
    return Int(line.dropFirst(key.count).filter(\.isNumber))
  }

  /// The text of a small file under `/proc` or `/sys`, read with the C library.
  private static func readText(_ path: String) -> String? {
    #if canImport(Glibc)
      guard let file = fopen(path, "r") else { return nil }
      defer { fclose(file) }
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 4096)
      while true {
        let read = fread(&chunk, 1, chunk.count, file)
        if read <= 0 { break }
        bytes += chunk[0..<read]
      }
      return String(decoding: bytes, as: UTF8.self)
    #else
      return nil
    #endif
  }

  /// Returns memory from ``allocate(bytes:)``.
  static func release(_ memory: UnsafeMutableRawPointer) {
    #if canImport(Glibc)
      free(memory)
    #endif
  }
}
