import Testing

@testable import GANEngine

/// The large buffers' memory (``HugePages``): where it comes from may change, what a
/// buffer holds may not.
@Suite struct HugePagesTests {
  @Test func smallRequestsUseTheOrdinaryAllocator() {
    #expect(HugePages.allocate(bytes: HugePages.minimumBytes - 1) == nil)
    #expect(HugePages.allocate(bytes: 64) == nil)
  }

  @Test func largeRequestsGetWholeAlignedHugePages() throws {
    #if os(Linux)
      guard HugePages.enabled else {
        // REPORT_HUGE_PAGES=0: every buffer comes from the ordinary allocator.
        #expect(HugePages.allocate(bytes: 3 * HugePages.pageBytes) == nil)
        return
      }
      // Three huge pages' worth, less a little: the extent is rounded up to whole pages.
      let bytes = 3 * HugePages.pageBytes - 4096
      let memory = try #require(HugePages.allocate(bytes: bytes))
      defer { HugePages.release(memory) }
      #expect(Int(bitPattern: memory) % HugePages.pageBytes == 0)
      // Every byte of the rounded extent is usable.
      let rounded = 3 * HugePages.pageBytes
      let bytesView = memory.bindMemory(to: UInt8.self, capacity: rounded)
      for i in stride(from: 0, to: rounded, by: 4093) { bytesView[i] = UInt8(truncatingIfNeeded: i) }
      for i in stride(from: 0, to: rounded, by: 4093) { #expect(bytesView[i] == UInt8(truncatingIfNeeded: i)) }
    #endif
  }

  @Test func largeBuffersHoldTheirValues() {
    let count = HugePages.minimumBytes / 4 + 12_345
    let buffer = FloatBuffer(count: count, repeating: 2.5)
    #expect((0..<count).allSatisfy { buffer.base[$0] == 2.5 })
    buffer.base[count - 1] = -1
    buffer.zero()
    #expect((0..<count).allSatisfy { buffer.base[$0] == 0 })
    let values = (0..<count).map { Float($0 % 1000) }
    let copy = FloatBuffer(values)
    #expect(copy.array == values)
  }

  @Test func theSystemSettingAndTheGrantAreRead() {
    #if os(Linux)
      let setting = HugePages.systemSetting
      if let setting { #expect(["always", "madvise", "never"].contains(setting)) }
      let granted = HugePages.probe()
      #expect(granted != nil, "/proc/self/smaps_rollup should be readable")
      if setting == "never" || !HugePages.enabled { #expect(granted == false) }
      #expect(!EngineInfo.hugePages.isEmpty)
    #endif
  }
}
