import Foundation

/// What `report diff` reads from one built site: its manifest, its run data, and
/// `data/values.json` and `data/claims.json` when the site has them.
struct SiteSnapshot {
  /// One checked claim as `data/claims.json` lists it.
  struct Claim: Decodable, Equatable {
    var chapter: String
    var line: Int
    var column: Int
    var expression: String
    var holds: Bool
    var measured: JSONValue?
  }

  private struct ClaimsFile: Decodable {
    var claims: [Claim]
  }

  let root: URL
  /// Path in the site → SHA-256, from `manifest.json`.
  let files: [String: String]
  /// Chapter path → SHA-256 of its source.
  let chapters: [String: String]
  /// The manifest's other fields (engine version, BLAS kernel, toolchain).
  let facts: [String: JSONValue]
  let values: ValuesFile?
  let claims: [Claim]?

  /// Loads the site at `root`.
  ///
  /// - Throws: ``SiteDiffError`` when `root` is not a built site or a file is malformed.
  init(root: URL) throws {
    self.root = root
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw SiteDiffError(message: "\(root.path): no such folder")
    }
    let manifestURL = root.appendingPathComponent("manifest.json")
    guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
      throw SiteDiffError(message: "\(root.path) is not a built site (it has no manifest.json)")
    }
    guard case .object(let manifest)? = JSONValue.parse([UInt8](data)),
          case .object(let files)? = manifest["files"]
    else {
      throw SiteDiffError(message: "\(manifestURL.path) is not a site manifest (no `files` object)")
    }
    self.files = Self.strings(files)
    if case .object(let chapters)? = manifest["chapters"] {
      self.chapters = Self.strings(chapters)
    } else {
      chapters = [:]
    }
    facts = manifest.filter { $0.key != "files" && $0.key != "chapters" }
    values = try Self.decode(ValuesFile.self, "data/values.json", in: root)
    claims = try Self.decode(ClaimsFile.self, "data/claims.json", in: root)?.claims
  }

  /// `bn-s1`, … for every `data/runs/*.json` the manifest lists.
  var runNames: [String] {
    files.keys.filter { $0.hasPrefix("data/runs/") && $0.hasSuffix(".json") }
      .map { String($0.dropFirst("data/runs/".count).dropLast(".json".count)) }.sorted()
  }

  /// The leaves of a run's data file (`metrics.g_loss`, `config.steps`, …).
  func run(_ name: String) throws -> [String: JSONValue] {
    let path = "data/runs/\(name).json"
    let url = root.appendingPathComponent(path)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw SiteDiffError(message: "\(url.path): listed in the manifest but missing")
    }
    guard let value = JSONValue.parse([UInt8](data)) else {
      throw SiteDiffError(message: "\(url.path): not valid JSON")
    }
    return value.leaves()
  }

  private static func strings(_ object: [String: JSONValue]) -> [String: String] {
    var out: [String: String] = [:]
    for (key, value) in object {
      if case .string(let text) = value { out[key] = text }
    }
    return out
  }

  /// The file at `path` decoded; nil when the site has no such file.
  private static func decode<T: Decodable>(_ type: T.Type, _ path: String, in root: URL) throws -> T? {
    let url = root.appendingPathComponent(path)
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw SiteDiffError(message: "\(url.path): not in the expected format")
    }
  }
}
