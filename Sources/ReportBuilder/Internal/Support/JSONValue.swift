import Foundation

/// Any JSON value, for comparing files whose exact schema may vary between builds
/// (run data, configurations). Numbers print without a trailing `.0` when whole.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// Parses `bytes`; nil when they are not JSON.
  static func parse(_ bytes: [UInt8]) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
  }

  /// Leaves by path (`metrics.shift[0]`), keys in snake_case (`gLoss` → `g_loss`), so that
  /// files written before and after a key rename compare by meaning.
  func leaves(prefix: String = "") -> [String: JSONValue] {
    switch self {
    case .object(let members):
      var out: [String: JSONValue] = [:]
      for (key, value) in members {
        let name = Self.snakeCase(key)
        out.merge(value.leaves(prefix: prefix.isEmpty ? name : "\(prefix).\(name)")) { a, _ in a }
      }
      return out
    case .array(let items):
      var out: [String: JSONValue] = [:]
      for (index, item) in items.enumerated() {
        out.merge(item.leaves(prefix: "\(prefix)[\(index)]")) { a, _ in a }
      }
      return out
    default:
      return [prefix: self]
    }
  }

  /// `dLossInference` → `d_loss_inference`; snake_case keys are kept.
  static func snakeCase(_ key: String) -> String {
    var out = ""
    for character in key {
      if character.isUppercase {
        out += "_" + character.lowercased()
      } else {
        out.append(character)
      }
    }
    return out
  }

  var description: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return "\(value)"
    case .number(let value):
      if value == value.rounded(), abs(value) < 1e15 { return "\(Int64(value))" }
      return "\(value)"
    case .string(let value): return value
    case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
  }
}
