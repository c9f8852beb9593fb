import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import Plotting

@Suite struct SVGCompactorTests {
  @Test func numbersAreRoundedToHundredths() {
    #expect(SVGCompactor.format(187.792969) == "187.79")
    #expect(SVGCompactor.format(194.5) == "194.5")
    #expect(SVGCompactor.format(-0.0820312) == "-0.08")
    #expect(SVGCompactor.format(0.004) == "0")
    #expect(SVGCompactor.format(-0.004) == "0")
    #expect(SVGCompactor.format(12) == "12")
    #expect(SVGCompactor.format(3.10) == "3.1")
    #expect(SVGCompactor.format(-7.05) == "-7.05")
    #expect(SVGCompactor.format(0.999) == "1")
  }

  /// The compacted SVG of the study's typical scatter: small, well-formed, one circle
  /// per marker at the marker's position, every class defined once.
  @Test func scatterMarkersBecomeCirclesAtTheirPositions() throws {
    let figure = TestFigures.bananaAndNoise(pointsPerSeries: 2048)
    let svg = try Renderer.svg(figure)
    #expect(svg.count < 300_000, "scatter SVG is \(svg.count) bytes")

    let delegate = CircleCollector()
    let parser = XMLParser(data: Data(svg))
    parser.delegate = delegate
    #expect(parser.parse(), "SVG must be well-formed XML: \(String(describing: parser.parserError))")
    // 2 × 2048 markers (all inside the automatic limits) plus 2 legend swatches.
    #expect(delegate.circles.count == 2 * 2048 + 2)
    #expect(delegate.circles.allSatisfy { $0.class != nil })

    // Each data point has a circle of the marker's radius within 0.01 px of its position.
    let layout = try ImageInspection.layout(of: figure)
    let frame = try #require(layout.frames.first)
    guard case .scatter(let xs, let ys, let size, _) = figure.panels[0].series[0].kind else {
      Issue.record("expected the real scatter first")
      return
    }
    let markers = delegate.circles.filter { abs($0.r - size / 2) < 0.01 }
    #expect(markers.count == 2 * 2048)
    for i in stride(from: 0, to: xs.count, by: 97) {
      let px = frame.transform.px(xs[i]), py = frame.transform.py(ys[i])
      #expect(markers.contains { abs($0.cx - px) <= 0.006 && abs($0.cy - py) <= 0.006 })
    }

    // Every class used is defined in the style block, and styles are not repeated.
    let text = String(decoding: svg, as: UTF8.self)
    let rules = text.split(separator: "\n").filter { $0.hasPrefix(".s") }
    #expect(Set(rules.map { $0.prefix(while: { $0 != "{" }) }).count == rules.count)
    #expect(Set(rules.map { $0.drop(while: { $0 != "{" }) }).count == rules.count)
    for name in delegate.classes {
      #expect(rules.contains { $0.hasPrefix(".\(name){") }, "class \(name) is not defined")
    }
    #expect(!text.contains("style=\" stroke:none;fill-rule"))
  }

  @Test func onlyCirclesBecomeCircles() {
    let style = "<path style=\" stroke:none;fill:rgb(0%,0%,0%);\" d=\""
    // Cairo's arc of radius 1.75 around (10, 20): two half-circle Béziers.
    let circle = style + "M 11.75 20 C 11.75 22.333333 8.25 22.333333 8.25 20 C 8.25 17.666667 11.75 17.666667 11.75 20 \"/>"
    let found = SVGCompactor.circle(in: Array(circle.utf8)[...])
    #expect(found.map { abs($0.cx - 10) < 1e-9 && abs($0.cy - 20) < 1e-9 && abs($0.r - 1.75) < 1e-9 } == true)
    // A lens (both halves bulging the same way), a triangle and an open curve are not circles.
    let lens = style + "M 11.75 20 C 11.75 22.333333 8.25 22.333333 8.25 20 C 8.25 22.333333 11.75 22.333333 11.75 20 \"/>"
    let triangle = style + "M 0 0 L 4 0 L 2 3 Z M 0 0 \"/>"
    let open = style + "M 11.75 20 C 11.75 22.333333 8.25 22.333333 8.25 20 \"/>"
    for path in [lens, triangle, open] {
      #expect(SVGCompactor.circle(in: Array(path.utf8)[...]) == nil)
    }
  }

  @Test func compactingKeepsOtherElementsAndIsDeterministic() throws {
    let figure = TestFigures.curves(
      steps: [0, 1, 2, 3], [Curve(label: "G loss", runs: [[1, 2, 3, 2], [1.5, 2.5, 2, 2]])])
    let svg = try Renderer.svg(figure)
    #expect(try Renderer.svg(figure) == svg)
    let text = String(decoding: svg, as: UTF8.self)
    #expect(text.hasPrefix("<?xml") && text.hasSuffix("</svg>\n"))
    // Compacting already compacted output changes nothing.
    #expect(SVGCompactor.compact(svg) == svg)
    // Path data keeps at most two decimals.
    for path in text.split(separator: "d=\"").dropFirst() {
      let data = path.prefix(while: { $0 != "\"" })
      for token in data.split(separator: " ") where token.contains(".") {
        #expect(token.split(separator: ".").last.map { $0.count <= 2 } == true, "\(token)")
      }
    }
  }
}

/// Collects `<circle>` geometry and every class name used.
private final class CircleCollector: NSObject, XMLParserDelegate {
  var circles: [(cx: Double, cy: Double, r: Double, class: String?)] = []
  var classes = Set<String>()
  private var groupClasses: [String?] = []

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if let name = attributes["class"] { classes.insert(name) }
    if name == "g" { groupClasses.append(attributes["class"]) }
    if name == "circle", let cx = attributes["cx"].flatMap(Double.init),
      let cy = attributes["cy"].flatMap(Double.init), let r = attributes["r"].flatMap(Double.init) {
      circles.append((cx, cy, r, attributes["class"] ?? groupClasses.last ?? nil))
    }
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    if name == "g" { groupClasses.removeLast() }
  }
}
