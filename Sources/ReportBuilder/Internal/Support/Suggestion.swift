/// "Did you mean" suggestions by edit distance.
enum Suggestion {
  /// Levenshtein distance between two strings, on Unicode scalars.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }

  /// The closest candidate, if it is close enough to be a plausible typo
  /// (distance ≤ 2, or ≤ a third of the word's length). Ties go to the
  /// alphabetically first candidate so the result is deterministic.
  static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
    let limit = max(2, word.count / 3)
    var best: (distance: Int, candidate: String)?
    for candidate in candidates where candidate != word {
      let d = editDistance(word, candidate)
      guard d <= limit else { continue }
      if let current = best, (current.distance, current.candidate) <= (d, candidate) { continue }
      best = (d, candidate)
    }
    return best?.candidate
  }

  /// `" (did you mean `x`?)"` or the empty string.
  static func hint(for word: String, in candidates: some Sequence<String>) -> String {
    closest(to: word, in: candidates).map { " (did you mean `\($0)`?)" } ?? ""
  }
}
