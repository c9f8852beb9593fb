import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import Plotting

@Suite struct RendererTests {
  /// Blue cluster at (2, 2), orange at (8, 8), fixed limits 0…10, no legend.
  private func twoClusters(legend: LegendPlacement = .none) -> Figure {
    let blue = ImageInspection.cluster(n: 300, center: (2, 2), spread: 0.6, seed: 1)
    let orange = ImageInspection.cluster(n: 300, center: (8, 8), spread: 0.6, seed: 2)
    let panel = Panel(
      xLabel: "x", yLabel: "y", xLimits: 0...10, yLimits: 0...10,
      series: [
        .scatter(points: blue, label: "real", color: .blue),
        .scatter(points: orange, label: "generated", color: .orange),
      ])
    return Figure(width: 400, height: 300, title: "Two clusters", panels: [panel], legend: legend)
  }

  // MARK: - PNG

  @Test func pngHasScaledDimensions() throws {
    let image = try RasterImage(png: Renderer.png(twoClusters(), scale: 2))
    #expect(image.width == 800 && image.height == 600)
    let single = try RasterImage(png: Renderer.png(twoClusters(), scale: 1))
    #expect(single.width == 400 && single.height == 300)
  }

  @Test func seriesColoursAppearWhereTheDataLies() throws {
    let figure = twoClusters()
    let scale = 2.0
    let image = try RasterImage(png: Renderer.png(figure, scale: scale))
    let frame = try #require(try ImageInspection.layout(of: figure).frames.first)

    let atBlue = ImageInspection.box(around: (2, 2), in: frame, scale: scale, radius: 6)
    let atOrange = ImageInspection.box(around: (8, 8), in: frame, scale: scale, radius: 6)
    // 13×13 px boxes in the middle of dense clusters: almost all pixels carry the colour.
    #expect(ImageInspection.count(in: image, x: atBlue.x, y: atBlue.y, where: ImageInspection.isBluish) > 150)
    #expect(ImageInspection.count(in: image, x: atOrange.x, y: atOrange.y, where: ImageInspection.isOrangish) > 150)
    #expect(ImageInspection.count(in: image, x: atBlue.x, y: atBlue.y, where: ImageInspection.isOrangish) == 0)

    // The empty corners (2, 8) and (8, 2) hold neither colour.
    for empty in [(2.0, 8.0), (8.0, 2.0)] {
      let box = ImageInspection.box(around: empty, in: frame, scale: scale, radius: 20)
      #expect(ImageInspection.count(in: image, x: box.x, y: box.y, where: ImageInspection.isBluish) == 0)
      #expect(ImageInspection.count(in: image, x: box.x, y: box.y, where: ImageInspection.isOrangish) == 0)
    }
  }

  @Test func legendIsDrawnInTheRequestedCorner() throws {
    let scale = 2.0
    let figure = twoClusters(legend: .topLeft)
    let frame = try #require(try ImageInspection.layout(of: figure).frames.first)
    // The top-left quarter of the plot area, where no data lies.
    let region = (
      x: Int(frame.rect.minX * scale)..<Int((frame.rect.minX + frame.rect.width / 3) * scale),
      y: Int(frame.rect.minY * scale)..<Int((frame.rect.minY + frame.rect.height / 3) * scale))
    let with = try RasterImage(png: Renderer.png(figure, scale: scale))
    let without = try RasterImage(png: Renderer.png(twoClusters(legend: .none), scale: scale))
    #expect(ImageInspection.count(in: with, x: region.x, y: region.y, where: ImageInspection.isBluish) > 20)
    #expect(ImageInspection.count(in: with, x: region.x, y: region.y, where: ImageInspection.isOrangish) > 20)
    #expect(ImageInspection.count(in: with, x: region.x, y: region.y, where: ImageInspection.isDark) > 50)
    #expect(ImageInspection.count(in: without, x: region.x, y: region.y, where: ImageInspection.isBluish) == 0)
  }

  @Test func automaticLegendAvoidsTheData() throws {
    // Data in the bottom-left and top-right corners: the legend goes top-left.
    let scale = 2.0
    let figure = twoClusters(legend: .auto)
    let frame = try #require(try ImageInspection.layout(of: figure).frames.first)
    let image = try RasterImage(png: Renderer.png(figure, scale: scale))
    let topLeft = (
      x: Int(frame.rect.minX * scale)..<Int((frame.rect.minX + frame.rect.width / 3) * scale),
      y: Int(frame.rect.minY * scale)..<Int((frame.rect.minY + frame.rect.height / 3) * scale))
    #expect(ImageInspection.count(in: image, x: topLeft.x, y: topLeft.y, where: ImageInspection.isDark) > 50)
    #expect(ImageInspection.count(in: image, x: topLeft.x, y: topLeft.y, where: ImageInspection.isOrangish) > 20)
  }

  @Test func nothingTouchesTheFigureBorder() throws {
    // Margins come from measured text: no label may be clipped at the image edge.
    let figures = [
      twoClusters(legend: .auto),
      TestFigures.indexLines([[Double](repeating: -12345, count: 64), [Double](repeating: 1, count: 64), [Double](repeating: 0, count: 64)]),
      Figure(
        width: 300, height: 200,
        panels: [Panel(xLabel: "a long x label", yLabel: "y", series: [.line(x: [-123456, 0, 789012], y: [1, -2, 3])])]),
      Figure(
        width: 300, height: 240,
        title: "A figure title far too long for one line of a figure only three hundred pixels wide",
        panels: [
          Panel(
            title: "a panel title that is also much wider than its panel",
            xLabel: "an x label longer than the whole axis it labels, by quite a margin",
            yLabel: "a y label longer than the axis too",
            series: [.line(x: [0, 1], y: [-1e5, 2e5], label: "a line")])
        ]),
    ]
    for figure in figures {
      let image = try RasterImage(png: Renderer.png(figure, scale: 1))
      let white: ((red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8)) -> Bool = {
        $0.red == 255 && $0.green == 255 && $0.blue == 255
      }
      let w = image.width, h = image.height
      #expect(ImageInspection.count(in: image, x: 0..<w, y: 0..<2, where: white) == 2 * w)
      #expect(ImageInspection.count(in: image, x: 0..<w, y: (h - 2)..<h, where: white) == 2 * w)
      #expect(ImageInspection.count(in: image, x: 0..<2, y: 0..<h, where: white) == 2 * h)
      #expect(ImageInspection.count(in: image, x: (w - 2)..<w, y: 0..<h, where: white) == 2 * h)
    }
  }

  // MARK: - SVG

  @Test func svgIsWellFormedAndCarriesTheMarks() throws {
    let svg = try Renderer.svg(twoClusters(legend: .topLeft))
    let delegate = ElementCounter()
    let parser = XMLParser(data: Data(svg))
    parser.delegate = delegate
    #expect(parser.parse(), "SVG must be well-formed XML: \(String(describing: parser.parserError))")
    #expect(delegate.rootName == "svg")
    #expect(delegate.rootAttributes["width"] == "400px")
    #expect(delegate.rootAttributes["height"] == "300px")
    // One circle per marker (600) plus the two legend swatches; paths for the grid,
    // axes, legend box and glyphs.
    #expect(delegate.counts["circle", default: 0] == 602)
    #expect(delegate.counts["path", default: 0] > 10)
    // Text is drawn as glyph symbols placed with <use>.
    #expect(delegate.counts["use", default: 0] > 10)
    // Styles live once each in the style block, as classes.
    #expect(delegate.counts["style", default: 0] == 1)
    let text = String(decoding: svg, as: UTF8.self)
    #expect(text.contains("fill:rgb(0%,44.705882%,69.803922%);fill-opacity:0.5;"))  // #0072B2 markers
    #expect(text.contains("fill:rgb(90.196078%,62.352941%,0%);fill-opacity:0.5;"))  // #E69F00 markers
  }

  // MARK: - Determinism

  @Test func rendersAreByteIdentical() throws {
    let figure = twoClusters(legend: .auto)
    let png = try Renderer.png(figure)
    let svg = try Renderer.svg(figure)
    // Something else in between must not change the next rendering.
    _ = try Renderer.svg(TestFigures.curves(steps: [0, 1, 2], [Curve(label: "a", values: [1, 2, 3])]))
    #expect(try Renderer.png(figure) == png)
    #expect(try Renderer.svg(figure) == svg)
  }

  @Test func concurrentRendersMatchSerialOnes() async throws {
    let figures = (0..<4).map { i in
      TestFigures.scatter(
        ImageInspection.cluster(n: 200, center: (0, 0), spread: 4, seed: UInt64(i)),
        ImageInspection.cluster(n: 200, center: (Double(i), 1), spread: 2, seed: UInt64(10 + i)),
        title: "figure \(i)")
    }
    let serial = try figures.map { try Renderer.png($0, scale: 1) + Renderer.svg($0) }
    let parallel = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
      for (i, figure) in figures.enumerated() {
        group.addTask { (i, try Renderer.png(figure, scale: 1) + Renderer.svg(figure)) }
      }
      var results = [[UInt8]](repeating: [], count: figures.count)
      for try await (i, bytes) in group { results[i] = bytes }
      return results
    }
    #expect(parallel == serial)
  }

  // MARK: - Errors

  @Test func cairoFailuresBecomeTypedErrors() throws {
    #expect(throws: PlottingError.self) { _ = try CairoCanvas.image(width: -1, height: 10) }
    do {
      _ = try CairoCanvas.image(width: 1_000_000, height: 10)
      Issue.record("an oversized surface must fail")
    } catch let error as PlottingError {
      #expect(error.code != 0)
      #expect(!error.message.isEmpty)
      #expect(error.description.hasPrefix("plotting: creating the image surface: "))
    }
    #expect(throws: PlottingError.self) { _ = try RasterImage(png: [1, 2, 3]) }
  }
}

/// Counts XML elements by name and keeps the root's attributes.
private final class ElementCounter: NSObject, XMLParserDelegate {
  var counts: [String: Int] = [:]
  var rootName: String?
  var rootAttributes: [String: String] = [:]

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if rootName == nil {
      rootName = name
      rootAttributes = attributes
    }
    counts[name, default: 0] += 1
  }
}
