/// Content types of the files a site holds, by extension.
enum MimeType {
  /// The `Content-Type` for a file name; unknown kinds are plain bytes.
  static func forFile(_ name: String) -> String {
    let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
    switch ext {
    case "html", "htm": return "text/html; charset=utf-8"
    case "css": return "text/css; charset=utf-8"
    case "js", "mjs": return "text/javascript; charset=utf-8"
    case "json": return "application/json"
    case "csv": return "text/csv; charset=utf-8"
    case "txt", "md": return "text/plain; charset=utf-8"
    case "svg": return "image/svg+xml"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "gif": return "image/gif"
    case "webp": return "image/webp"
    case "ico": return "image/x-icon"
    case "woff2": return "font/woff2"
    case "woff": return "font/woff"
    case "pdf": return "application/pdf"
    default: return "application/octet-stream"
    }
  }

  /// Whether the live-update script is added to this file as it is served.
  static func isHTML(_ name: String) -> Bool {
    forFile(name).hasPrefix("text/html")
  }
}
