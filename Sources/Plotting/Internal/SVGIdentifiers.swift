/// Makes Cairo's SVG output independent of process history.
///
/// Cairo names some SVG elements after process-wide counters (`id="surface17"`), so two
/// renderings of the same figure in one process would differ. This renumbers every
/// `surfaceN` / `imageN` / `sourceN` identifier by order of first appearance.
enum SVGIdentifiers {
  private static let prefixes: [[UInt8]] = ["surface", "image", "source"].map { Array($0.utf8) }

  static func normalize(_ svg: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(svg.count)
    var numbering: [[UInt8]: [String: Int]] = [:]
    var i = 0
    let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#"), zero = UInt8(ascii: "0")
    let nine = UInt8(ascii: "9")
    while i < svg.count {
      let byte = svg[i]
      if byte == quote || byte == hash {
        out.append(byte)
        i += 1
        if let prefix = prefixes.first(where: { matches($0, in: svg, at: i) }) {
          var j = i + prefix.count
          let digitsStart = j
          while j < svg.count, svg[j] >= zero, svg[j] <= nine { j += 1 }
          if j > digitsStart {
            let original = String(decoding: svg[digitsStart..<j], as: UTF8.self)
            var map = numbering[prefix, default: [:]]
            let number = map[original] ?? (map.count + 1)
            map[original] = number
            numbering[prefix] = map
            out.append(contentsOf: prefix)
            out.append(contentsOf: Array(String(number).utf8))
            i = j
          }
        }
        continue
      }
      out.append(byte)
      i += 1
    }
    return out
  }

  private static func matches(_ prefix: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
    guard index + prefix.count <= bytes.count else { return false }
    for k in 0..<prefix.count where bytes[index + k] != prefix[k] { return false }
    return true
  }
}
