#if canImport(Glibc)
  import Glibc
#endif

/// BLIS' single-threaded `cblas_sgemm`, loaded at run time from `libblis.so.4`
/// (Debian's `libblis4`) when it is installed, so that `report bench` can measure
/// the floor against the best library on the machine. The engine never trains with
/// it; nothing links against it.
enum BLISLibrary {
  typealias SGEMM = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
    Float, UnsafeMutablePointer<Float>?, Int32
  ) -> Void

  /// `cblas_sgemm` and the version string, or nil when BLIS is not installed.
  static let loaded: (sgemm: SGEMM, version: String)? = {
    guard let handle = dlopen("libblis.so.4", RTLD_NOW | RTLD_LOCAL),
      let symbol = dlsym(handle, "cblas_sgemm")
    else { return nil }
    if let setThreads = dlsym(handle, "bli_thread_set_num_threads") {
      unsafeBitCast(setThreads, to: (@convention(c) (Int) -> Void).self)(1)
    }
    var version = "BLIS"
    if let info = dlsym(handle, "bli_info_get_version_str") {
      let text = unsafeBitCast(info, to: (@convention(c) () -> UnsafePointer<CChar>?).self)()
      if let text { version = "BLIS \(String(cString: text))" }
    }
    return (unsafeBitCast(symbol, to: SGEMM.self), version)
  }()
}
