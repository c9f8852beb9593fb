/// One user-facing chapter mistake, with an optional note pointing elsewhere
/// (e.g. where a duplicated id was first defined).
struct Diagnostic: Hashable, Sendable, Comparable {
  var location: SourceLocation
  var message: String
  var note: (location: SourceLocation, message: String)? {
    get { noteLocation.map { ($0, noteMessage) } }
    set {
      noteLocation = newValue?.location
      noteMessage = newValue?.message ?? ""
    }
  }
  private var noteLocation: SourceLocation?
  private var noteMessage = ""

  init(_ location: SourceLocation, _ message: String,
       note: (location: SourceLocation, message: String)? = nil) {
    self.location = location
    self.message = message
    self.note = note
  }

  /// The diagnostic as printed: the error line, then the note line if any.
  var lines: [String] {
    var out = ["\(location): error: \(message)"]
    if let noteLocation { out.append("\(noteLocation): note: \(noteMessage)") }
    return out
  }

  static func < (a: Diagnostic, b: Diagnostic) -> Bool {
    if a.location != b.location { return a.location < b.location }
    return a.message < b.message
  }
}

/// Collects diagnostics during a build; all of them are reported at once.
struct DiagnosticList: Sendable {
  private(set) var items: [Diagnostic] = []

  var isEmpty: Bool { items.isEmpty }

  mutating func error(_ location: SourceLocation, _ message: String,
                      note: (location: SourceLocation, message: String)? = nil) {
    items.append(Diagnostic(location, message, note: note))
  }

  mutating func append(contentsOf other: DiagnosticList) {
    items.append(contentsOf: other.items)
  }

  /// Sorted by file, line, column; each error followed by its note.
  var lines: [String] {
    Set(items).sorted().flatMap(\.lines)
  }
}
