import Foundation

/// A claim about the runs, as written in `{claim}` or a `{claims}` block: comparisons of
/// value paths (the paths of `{value}`) and numbers, joined by `and` / `or`.
///
/// ```
/// bn.shift_x.above-1 == bn.seeds
/// ln-shift.shift_x.max < 1 and gn-shift.shift_x.max < 1
/// baseline.d_loss.mean within 0.05 of ln2
/// ```
///
/// Grammar (`or` binds looser than `and`; no arithmetic):
///
/// ```
/// claim      := conjunction ("or" conjunction)*
/// conjunction := test ("and" test)*
/// test       := "(" claim ")" | operand COMPARISON operand | operand "within" operand "of" operand
/// operand    := PATH | NUMBER | "ln2"
/// COMPARISON := "<" | "<=" | ">" | ">=" | "==" | "!="
/// ```
///
/// A path is `EXPERIMENT.METRIC[.STAT][:PRECISION]`; without a statistic it means the
/// mean over the seeds (counts for `seeds` and `diverged`). The precision only changes
/// how the value is shown.
indirect enum ClaimExpression: Sendable, Equatable {
  case compare(ClaimOperand, ClaimComparison, ClaimOperand)
  /// `value within tolerance of target`: |value − target| ≤ tolerance.
  case within(ClaimOperand, tolerance: ClaimOperand, of: ClaimOperand)
  case and(ClaimExpression, ClaimExpression)
  case or(ClaimExpression, ClaimExpression)
  /// A parenthesized claim (kept, so that the measured text shows the same grouping).
  case group(ClaimExpression)

  /// The first operand, in reading order: what an inline `{claim}` shows.
  var leftmost: ClaimOperand {
    switch self {
    case .compare(let a, _, _), .within(let a, _, _): a
    case .and(let a, _), .or(let a, _), .group(let a): a.leftmost
    }
  }

  /// Every operand, in reading order.
  var operands: [ClaimOperand] {
    switch self {
    case .compare(let a, _, let b): [a, b]
    case .within(let a, let d, let b): [a, d, b]
    case .and(let a, let b), .or(let a, let b): a.operands + b.operands
    case .group(let a): a.operands
    }
  }
}

/// A comparison operator of a claim.
enum ClaimComparison: String, Sendable, CaseIterable {
  case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

  func holds(_ a: Double, _ b: Double) -> Bool {
    switch self {
    case .less: a < b
    case .lessOrEqual: a <= b
    case .greater: a > b
    case .greaterOrEqual: a >= b
    case .equal: a == b
    case .notEqual: a != b
    }
  }
}

/// One side of a comparison.
struct ClaimOperand: Sendable, Equatable {
  enum Value: Sendable, Equatable {
    case number(Double)
    case path(ValueReference)
  }

  var value: Value
  /// As written.
  var text: String
  /// Byte offset of its first character in the claim's text.
  var offset: Int
}

/// Why a claim does not parse, at a byte offset of its text.
struct ClaimSyntaxError: Error, Equatable, Sendable {
  var offset: Int
  var message: String
}

extension ClaimExpression {
  /// Parses a claim's text. Paths are checked for their shape (metric and statistic
  /// names), not for whether their experiment exists.
  static func parse(_ text: String) -> Result<ClaimExpression, ClaimSyntaxError> {
    var parser = ClaimParser(text: text)
    do {
      return .success(try parser.parse())
    } catch let error as ClaimSyntaxError {
      return .failure(error)
    } catch {
      return .failure(ClaimSyntaxError(offset: 0, message: "\(error)"))
    }
  }
}

/// Recursive descent over the tokens of one claim.
private struct ClaimParser {
  enum Token: Equatable {
    case word(String)
    case comparison(ClaimComparison)
    case open, close
    case end
  }

  let text: String
  private var tokens: [(token: Token, offset: Int)] = []
  private var position = 0
  private var tokenizeError: ClaimSyntaxError?

  init(text: String) {
    self.text = text
    let bytes = Array(text.utf8)
    var i = 0
    func isWordByte(_ b: UInt8) -> Bool {
      (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39)
        || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
        || b == UInt8(ascii: "+")
    }
    while i < bytes.count {
      let b = bytes[i]
      if b == 0x20 || b == 0x09 { i += 1; continue }
      if b == UInt8(ascii: "(") { tokens.append((.open, i)); i += 1; continue }
      if b == UInt8(ascii: ")") { tokens.append((.close, i)); i += 1; continue }
      if b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=") || b == UInt8(ascii: "!") {
        let two = i + 1 < bytes.count ? String(decoding: bytes[i...(i + 1)], as: UTF8.self) : ""
        if let op = ClaimComparison(rawValue: two) {
          tokens.append((.comparison(op), i)); i += 2; continue
        }
        if let op = ClaimComparison(rawValue: String(Character(UnicodeScalar(b)))) {
          tokens.append((.comparison(op), i)); i += 1; continue
        }
        tokenizeError = ClaimSyntaxError(
          offset: i,
          message: b == UInt8(ascii: "=") ? "use `==` to compare, not `=`" : "unexpected `\(Character(UnicodeScalar(b)))`")
        break
      }
      if isWordByte(b) {
        let start = i
        while i < bytes.count, isWordByte(bytes[i]) { i += 1 }
        tokens.append((.word(String(decoding: bytes[start..<i], as: UTF8.self)), start))
        continue
      }
      let rest = String(decoding: bytes[i...], as: UTF8.self)
      let scalar = rest.first.map { String($0) } ?? "?"
      tokenizeError = ClaimSyntaxError(offset: i, message: "unexpected `\(scalar)` in claim")
      break
    }
    tokens.append((.end, bytes.count))
  }

  private var current: (token: Token, offset: Int) { tokens[position] }

  mutating func parse() throws -> ClaimExpression {
    if let tokenizeError { throw tokenizeError }
    guard current.token != .end else {
      throw ClaimSyntaxError(offset: 0, message: "empty claim: expected e.g. `bn.shift_x.min > 1`")
    }
    let expression = try disjunction()
    switch current.token {
    case .end: return expression
    case .close: throw ClaimSyntaxError(offset: current.offset, message: "unmatched `)`")
    default:
      throw ClaimSyntaxError(
        offset: current.offset, message: "expected `and`, `or` or the end of the claim, got \(describe(current.token))")
    }
  }

  private mutating func disjunction() throws -> ClaimExpression {
    var expression = try conjunction()
    while current.token == .word("or") {
      position += 1
      expression = .or(expression, try conjunction())
    }
    return expression
  }

  private mutating func conjunction() throws -> ClaimExpression {
    var expression = try test()
    while current.token == .word("and") {
      position += 1
      expression = .and(expression, try test())
    }
    return expression
  }

  private mutating func test() throws -> ClaimExpression {
    if current.token == .open {
      let open = current.offset
      position += 1
      let inner = try disjunction()
      guard current.token == .close else {
        throw ClaimSyntaxError(offset: open, message: "`(` is never closed")
      }
      position += 1
      return .group(inner)
    }
    let left = try operand()
    switch current.token {
    case .comparison(let op):
      position += 1
      return .compare(left, op, try operand())
    case .word("within"):
      position += 1
      let tolerance = try operand()
      guard current.token == .word("of") else {
        throw ClaimSyntaxError(
          offset: current.offset, message: "expected `of` after `within \(tolerance.text)`, got \(describe(current.token))")
      }
      position += 1
      return .within(left, tolerance: tolerance, of: try operand())
    default:
      throw ClaimSyntaxError(
        offset: current.offset,
        message: "expected a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=` or `within … of`) after `\(left.text)`,"
          + " got \(describe(current.token))")
    }
  }

  private mutating func operand() throws -> ClaimOperand {
    let (token, offset) = current
    guard case .word(let word) = token, !["and", "or", "within", "of"].contains(word) else {
      throw ClaimSyntaxError(offset: offset, message: "expected a value path or a number, got \(describe(token))")
    }
    position += 1
    if word == "ln2" { return ClaimOperand(value: .number(log(2)), text: word, offset: offset) }
    if let first = word.unicodeScalars.first, !("a"..."z").contains(first), !("A"..."Z").contains(first) {
      guard let number = Double(word), number.isFinite else {
        throw ClaimSyntaxError(offset: offset, message: "`\(word)` is not a number")
      }
      return ClaimOperand(value: .number(number), text: word, offset: offset)
    }
    switch ValueReference.parse(word) {
    case .failure(let error):
      throw ClaimSyntaxError(offset: offset, message: error.message)
    case .success(var reference):
      if reference.statistic == .pm { reference.statistic = .mean }
      return ClaimOperand(value: .path(reference), text: word, offset: offset)
    }
  }

  private func describe(_ token: Token) -> String {
    switch token {
    case .word(let word): "`\(word)`"
    case .comparison(let op): "`\(op.rawValue)`"
    case .open: "`(`"
    case .close: "`)`"
    case .end: "the end of the claim"
    }
  }
}
