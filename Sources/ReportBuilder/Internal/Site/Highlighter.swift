/// A tiny syntax highlighter for the code the report shows: directive sources and
/// shell commands. It marks keys, strings, numbers, comments and keywords with
/// `<span class="hl-…">`; everything else is escaped text.
enum Highlighter {
  enum Language: Sendable {
    case directive, shell

    init?(name: String) {
      switch name.lowercased() {
      case "directive": self = .directive
      case "sh", "shell", "bash", "console", "zsh": self = .shell
      default: return nil
      }
    }

    var cssName: String {
      switch self {
      case .directive: "directive"
      case .shell: "shell"
      }
    }
  }

  /// Highlighted HTML (without the surrounding `<pre><code>`).
  static func html(_ code: String, language: Language) -> String {
    var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines.map { highlight(line: $0, language: language) }.joined(separator: "\n")
  }

  private static func highlight(line: String, language: Language) -> String {
    switch language {
    case .directive: return directiveLine(line)
    case .shell: return shellLine(line)
    }
  }

  /// Fences and `{name}`, `key:` then the value, `# comments`.
  private static func directiveLine(_ line: String) -> String {
    let trimmed = line.trimmed
    if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
      let fence = String(trimmed.prefix { $0 == "`" || $0 == "~" })
      let info = String(trimmed.dropFirst(fence.count))
      var out = span("punct", fence)
      if info.hasPrefix("{"), let close = info.firstIndex(of: "}") {
        out += span("directive", String(info[...close]))
        out += span("arg", String(info[info.index(after: close)...]))
      } else {
        out += escape(info)
      }
      return out
    }
    if trimmed.hasPrefix("#") { return span("comment", line) }
    let body = DirectiveParser.stripComment(line)
    let comment = String(line.dropFirst(body.count))
    guard let colon = body.firstIndex(of: ":") else { return escape(line) }
    let key = String(body[..<colon])
    let value = String(body[body.index(after: colon)...])
    return span("key", key) + span("punct", ":") + valueTokens(value)
      + (comment.isEmpty ? "" : span("comment", comment))
  }

  private static func valueTokens(_ value: String) -> String {
    var out = ""
    var word = ""
    func flush() {
      guard !word.isEmpty else { return }
      if Double(word) != nil || word.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "." || $0 == "x" })
        && word.contains(where: \.isNumber) {
        out += span("number", word)
      } else if word == "true" || word == "false" {
        out += span("keyword", word)
      } else {
        out += span("string", word)
      }
      word = ""
    }
    for character in value {
      if character == " " || character == "," || character == "|" {
        flush()
        out += escape(String(character))
      } else {
        word.append(character)
      }
    }
    flush()
    return out
  }

  /// Shell tokens: strings in quotes, numbers, `$`, `--flags`, `#` comments.
  private static func shellLine(_ line: String) -> String {
    let chars = Array(line)
    var out = ""
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if chars[i] == "#", i == 0 || chars[i - 1] == " " {
        out += span("comment", String(chars[i...]))
        break
      }
      if c == "\"" || c == "'" {
        var j = i + 1
        while j < chars.count, chars[j] != c {
          if chars[j] == "\\" { j += 1 }
          j += 1
        }
        j = min(j + 1, chars.count)
        out += span("string", String(chars[i..<j]))
        i = j
        continue
      }
      if c.isLetter || c == "_" || c == "-" && (i == 0 || chars[i - 1] == " ") {
        var j = i + 1
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "-" {
          j += 1
        }
        let word = String(chars[i..<j])
        if word.hasPrefix("-") {
          out += span("key", word)
        } else {
          out += escape(word)
        }
        i = j
        continue
      }
      if c.isNumber {
        var j = i + 1
        while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "e" || chars[j] == "_" {
          j += 1
        }
        out += span("number", String(chars[i..<j]))
        i = j
        continue
      }
      if c == "$" && i == 0 {
        out += span("punct", "$")
        i += 1
        continue
      }
      out += escape(String(c))
      i += 1
    }
    return out
  }

  private static func span(_ kind: String, _ text: String) -> String {
    text.isEmpty ? "" : "<span class=\"hl-\(kind)\">\(escape(text))</span>"
  }
}

/// HTML-escapes text for element content and attribute values.
func escape(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for scalar in text.unicodeScalars {
    switch scalar {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out
}
