import Foundation

/// What Slurm says about one task of an array, parsed from `squeue`, `scontrol` or `sacct`.
struct SlurmTask: Equatable, Sendable {
  /// Slurm's job state, e.g. `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`,
  /// `TIMEOUT`, `NODE_FAIL`, `OUT_OF_MEMORY`.
  var state: String
  /// `status:signal`, as Slurm prints it (`1:0`, `0:15`), if known.
  var exitCode: String?
  /// The node it ran on, if it started.
  var node: String?

  /// Queued, not started.
  var isPending: Bool { state == "PENDING" || state == "REQUEUED" || state == "SUSPENDED" }

  /// The compact state codes of `squeue %t`, spelled out.
  static func state(compact code: String) -> String {
    switch code {
    case "PD": return "PENDING"
    case "R": return "RUNNING"
    case "CG": return "COMPLETING"
    case "CF": return "CONFIGURING"
    case "CD": return "COMPLETED"
    case "CA": return "CANCELLED"
    case "F": return "FAILED"
    case "TO": return "TIMEOUT"
    case "NF": return "NODE_FAIL"
    case "OOM": return "OUT_OF_MEMORY"
    case "PR": return "PREEMPTED"
    case "BF": return "BOOT_FAIL"
    case "DL": return "DEADLINE"
    case "S": return "SUSPENDED"
    case "RQ": return "REQUEUED"
    default: return code
    }
  }

  // MARK: - Parsing

  /// `squeue -h -r -j JOB -o '%K %t %N'` lines: array index, compact state, node.
  /// A line whose index is still a range (`2-5%2`, `[2-5]`) stands for each index in it.
  static func parseQueue(_ text: String) -> [Int: SlurmTask] {
    var tasks: [Int: SlurmTask] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard fields.count >= 2 else { continue }
      let task = SlurmTask(
        state: state(compact: fields[1]), exitCode: nil,
        node: fields.count >= 3 && !fields[2].isEmpty && fields[2] != "(null)" ? fields[2] : nil)
      for index in indices(fields[0]) { tasks[index] = task }
    }
    return tasks
  }

  /// `scontrol -o show job JOB`: one line of `Key=Value` fields per task record.
  static func parseControl(_ text: String) -> [Int: SlurmTask] {
    var tasks: [Int: SlurmTask] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      var fields: [String: String] = [:]
      for word in line.split(separator: " ") {
        guard let equals = word.firstIndex(of: "=") else { continue }
        fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
      }
      guard let ids = fields["ArrayTaskId"], let state = fields["JobState"] else { continue }
      let node = fields["NodeList"].flatMap { $0 == "(null)" || $0.isEmpty ? nil : $0 }
      let task = SlurmTask(state: state, exitCode: fields["ExitCode"], node: node)
      for index in indices(ids) { tasks[index] = task }
    }
    return tasks
  }

  /// `sacct -n -P -X -j JOB -o JobID,State,ExitCode,NodeList`: `123_4|CANCELLED by 0|0:15|vm`.
  static func parseAccounting(_ text: String) -> [Int: SlurmTask] {
    var tasks: [Int: SlurmTask] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= 4, let underscore = fields[0].firstIndex(of: "_") else { continue }
      let ids = String(fields[0][fields[0].index(after: underscore)...])
      let state = fields[1].split(separator: " ").first.map(String.init) ?? fields[1]
      let node = fields[3].isEmpty || fields[3] == "None assigned" ? nil : fields[3]
      for index in indices(ids) {
        tasks[index] = SlurmTask(state: state, exitCode: fields[2].isEmpty ? nil : fields[2], node: node)
      }
    }
    return tasks
  }

  /// `4` → [4]; `2-5`, `[2-5%2]`, `1,3-4` → every index named.
  static func indices(_ text: String) -> [Int] {
    var body = Substring(text)
    if body.hasPrefix("[") { body = body.dropFirst() }
    if body.hasSuffix("]") { body = body.dropLast() }
    if let percent = body.firstIndex(of: "%") { body = body[..<percent] }
    var out: [Int] = []
    for part in body.split(separator: ",") {
      let bounds = part.split(separator: "-")
      if bounds.count == 1, let single = Int(bounds[0]) {
        out.append(single)
      } else if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high {
        out.append(contentsOf: low...high)
      }
    }
    return out
  }
}
