import Foundation

/// The job arrays a build submitted and has not yet collected (after `--detach`, or a
/// build that died while waiting), in `CACHE/slurm/submitted.json`. The next build
/// waits for those still in the queue instead of submitting their runs twice.
struct SubmittedArrays: Codable, Equatable {
  struct Array: Codable, Equatable {
    var job: String
    var plan: String
    /// The keys of its runs, in array-index order.
    var keys: [String]
  }

  var arrays: [Array] = []

  static func url(cache: URL) -> URL {
    RunPlan.folder(cache: cache).appendingPathComponent("submitted.json")
  }

  static func read(cache: URL) -> SubmittedArrays {
    guard let data = FileManager.default.contents(atPath: url(cache: cache).path),
      let record = try? JSONDecoder().decode(SubmittedArrays.self, from: data)
    else { return SubmittedArrays() }
    return record
  }

  func write(cache: URL) throws {
    let url = Self.url(cache: cache)
    if arrays.isEmpty {
      try? FileManager.default.removeItem(at: url)
      return
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try FileIO.writeAtomically([UInt8](try encoder.encode(self)), to: url)
  }
}
