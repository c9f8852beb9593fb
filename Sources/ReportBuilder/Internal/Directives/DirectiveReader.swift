/// Reads typed values out of a ``DirectiveBlock``, collecting a diagnostic for every
/// unknown key, duplicate key, or value of the wrong type or range.
///
/// Every accessor returns `nil` (and records an error) when the value is present but
/// wrong, so that one pass over a directive reports all of its mistakes.
struct DirectiveReader {
  let block: DirectiveBlock
  private(set) var diagnostics = DiagnosticList()
  private var byKey: [String: DirectiveBlock.Entry] = [:]

  /// Checks the keys: unknown ones (with a suggestion among `allowed`), keys that
  /// belong to another kind (`otherKinds`: key → description of where it applies),
  /// and duplicates.
  init(block: DirectiveBlock, allowed: [String], otherKinds: [String: String] = [:],
       kindDescription: String? = nil) {
    self.block = block
    for entry in block.entries {
      if let first = byKey[entry.key] {
        diagnostics.error(
          entry.location, "duplicate key `\(entry.key)`",
          note: (first.location, "`\(entry.key)` first set here"))
        continue
      }
      guard allowed.contains(entry.key) else {
        if let place = otherKinds[entry.key] {
          diagnostics.error(
            entry.location,
            "key `\(entry.key)` does not apply to \(kindDescription ?? "`{\(block.name)}`");"
              + " it is used by \(place)")
        } else {
          diagnostics.error(
            entry.location,
            "unknown key `\(entry.key)` in `{\(block.name)}`"
              + Suggestion.hint(for: entry.key, in: allowed + otherKinds.keys.sorted()))
        }
        continue
      }
      byKey[entry.key] = entry
    }
  }

  /// The entry for `key`, if present (and allowed).
  func entry(_ key: String) -> DirectiveBlock.Entry? { byKey[key] }

  func has(_ key: String) -> Bool { byKey[key] != nil }

  mutating func error(_ location: SourceLocation, _ message: String) {
    diagnostics.error(location, message)
  }

  /// The raw value; an empty value is an error.
  mutating func string(_ key: String) -> String? {
    guard let entry = byKey[key] else { return nil }
    guard !entry.value.isEmpty else {
      diagnostics.error(entry.location, "missing value for `\(key)`")
      return nil
    }
    return entry.value
  }

  /// Whether a required key is present; its absence is reported at the directive's `{`.
  mutating func require(_ key: String, for purpose: String? = nil) -> Bool {
    guard byKey[key] == nil else { return true }
    diagnostics.error(
      block.location, "missing required key `\(key)` in `{\(block.name)}`" + (purpose.map { " \($0)" } ?? ""))
    return false
  }

  /// One of a fixed set of words.
  mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) -> T?
  where T.RawValue == String {
    choice(key, among: T.allCases.map(\.rawValue)).flatMap(T.init(rawValue:))
  }

  /// One of `names`.
  mutating func choice(_ key: String, among names: [String]) -> String? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    if names.contains(value) { return value }
    diagnostics.error(
      entry.location,
      "unknown value `\(value)` for `\(key)`\(Suggestion.hint(for: value, in: names));"
        + " expected one of \(names.joined(separator: ", "))")
    return nil
  }

  /// `true` or `false`.
  mutating func bool(_ key: String) -> Bool? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    switch value {
    case "true": return true
    case "false": return false
    default:
      diagnostics.error(entry.location, "`\(key)` must be true or false, got `\(value)`")
      return nil
    }
  }

  /// An integer in `range`.
  mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    guard let number = Int(value) else {
      diagnostics.error(entry.location, "`\(key)` must be an integer, got `\(value)`")
      return nil
    }
    guard range.contains(number) else {
      let bounds = range.upperBound == Int.max
        ? "≥ \(range.lowerBound)" : "in [\(range.lowerBound), \(range.upperBound)]"
      diagnostics.error(entry.location, "`\(key)` must be \(bounds), got \(value)")
      return nil
    }
    return number
  }

  /// A non-negative integer that fits a seed (`UInt64`).
  mutating func seed(_ key: String) -> UInt64? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    guard let number = UInt64(value) else {
      diagnostics.error(entry.location, "`\(key)` must be a non-negative integer, got `\(value)`")
      return nil
    }
    return number
  }

  /// A finite number checked by `valid`, whose failure message names the range,
  /// e.g. `"in [0, 1)"`.
  mutating func number(_ key: String, range: String, valid: (Double) -> Bool) -> Double? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    guard let number = Double(value), number.isFinite else {
      diagnostics.error(entry.location, "`\(key)` must be a number, got `\(value)`")
      return nil
    }
    guard valid(number) else {
      diagnostics.error(entry.location, "`\(key)` must be \(range), got \(value)")
      return nil
    }
    return number
  }

  /// A comma-separated list of words, each checked against `allowed` when given.
  mutating func list(_ key: String, allowed: [String]? = nil) -> [String]? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    let items = value.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmed)
    if items.contains(where: \.isEmpty) {
      diagnostics.error(entry.location, "`\(key)` has an empty item in `\(value)`")
      return nil
    }
    if let allowed {
      var ok = true
      for item in items where !allowed.contains(item) {
        diagnostics.error(
          entry.location,
          "unknown value `\(item)` in `\(key)`\(Suggestion.hint(for: item, in: allowed));"
            + " expected any of \(allowed.joined(separator: ", "))")
        ok = false
      }
      if !ok { return nil }
    }
    var seen = Set<String>()
    for item in items where !seen.insert(item).inserted {
      diagnostics.error(entry.location, "`\(key)` lists `\(item)` twice")
      return nil
    }
    return items
  }

  /// `min, max` with `min < max`.
  mutating func limits(_ key: String) -> ClosedRange<Double>? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    let parts = value.split(separator: ",").map { Double($0.trimmed) }
    guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite
    else {
      diagnostics.error(entry.location, "`\(key)` must be two numbers `min, max`, got `\(value)`")
      return nil
    }
    guard low < high else {
      diagnostics.error(entry.location, "`\(key)` needs min < max, got `\(value)`")
      return nil
    }
    return low...high
  }

  /// Seeds as `1, 2, 3` or `1-5` (ranges may be mixed into the list: `1-3, 7`).
  mutating func seeds(_ key: String) -> [UInt64]? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    var seeds: [UInt64] = []
    for item in value.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmed) {
      let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map(\.trimmed)
      if bounds.count == 1, let seed = UInt64(bounds[0]) {
        seeds.append(seed)
      } else if bounds.count == 2, let low = UInt64(bounds[0]), let high = UInt64(bounds[1]),
                low <= high, high - low < 1000 {
        seeds.append(contentsOf: low...high)
      } else {
        diagnostics.error(
          entry.location, "invalid seed list `\(value)`: use `1, 2, 3` or a range `1-5`")
        return nil
      }
    }
    var seen = Set<UInt64>()
    for seed in seeds where !seen.insert(seed).inserted {
      diagnostics.error(entry.location, "seed \(seed) appears twice in `\(value)`")
      return nil
    }
    return seeds
  }

  /// `WIDTHxHEIGHT` in CSS pixels, each in 100…2000.
  mutating func size(_ key: String) -> (width: Int, height: Int)? {
    guard let value = string(key), let entry = byKey[key] else { return nil }
    let parts = value.split(separator: "x").map { Int($0.trimmed) }
    guard parts.count == 2, let width = parts[0], let height = parts[1] else {
      diagnostics.error(entry.location, "`\(key)` must be WIDTHxHEIGHT in px, e.g. 640x480, got `\(value)`")
      return nil
    }
    guard (100...2000).contains(width), (100...2000).contains(height) else {
      diagnostics.error(entry.location, "`\(key)` must have width and height in [100, 2000], got `\(value)`")
      return nil
    }
    return (width, height)
  }
}

/// Whether `text` is a valid id or label: `[a-z][a-z0-9-]*`.
func isValidIdentifier(_ text: String) -> Bool {
  guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
  return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
}

extension DirectiveReader {
  /// Reads a directive whose `kind` decides which keys it accepts (figures, tables).
  ///
  /// `kind` is read first; the returned reader then allows that kind's keys and, for a
  /// key that belongs to another kind, names the kinds that use it. With no valid kind,
  /// every kind's keys are allowed, so only truly unknown keys are reported; `kindFailed`
  /// says whether `kind` itself was missing or wrong (already in `diagnostics`).
  static func forKind(
    _ block: DirectiveBlock, kinds: [String], keys: (String) -> [String], diagnostics: inout DiagnosticList
  ) -> (kind: String?, reader: DirectiveReader, kindFailed: Bool) {
    var kindReader = DirectiveReader(block: block, allowed: block.entries.map(\.key))
    let kind = kindReader.require("kind") ? kindReader.choice("kind", among: kinds) : nil
    diagnostics.append(contentsOf: kindReader.diagnostics)
    let allowed = kind.map(keys) ?? Array(Set(kinds.flatMap(keys))).sorted()
    var otherKinds: [String: String] = [:]
    if let kind {
      for other in kinds where other != kind {
        for key in keys(other) where !allowed.contains(key) {
          otherKinds[key, default: ""] += (otherKinds[key] == nil ? "" : ", ") + "`kind: \(other)`"
        }
      }
    }
    let reader = DirectiveReader(
      block: block, allowed: allowed, otherKinds: otherKinds,
      kindDescription: kind.map { "`kind: \($0)`" })
    return (kind, reader, !kindReader.diagnostics.isEmpty)
  }

  /// ``forKind(_:kinds:keys:diagnostics:)`` for kinds that are an enum.
  static func forKind<Kind>(
    _ block: DirectiveBlock, keys: (Kind) -> [String], diagnostics: inout DiagnosticList
  ) -> (kind: Kind?, reader: DirectiveReader, kindFailed: Bool)
  where Kind: RawRepresentable & CaseIterable, Kind.RawValue == String {
    let read = forKind(
      block, kinds: Kind.allCases.map(\.rawValue), keys: { Kind(rawValue: $0).map(keys) ?? [] },
      diagnostics: &diagnostics)
    return (read.kind.flatMap(Kind.init(rawValue:)), read.reader, read.kindFailed)
  }
}
