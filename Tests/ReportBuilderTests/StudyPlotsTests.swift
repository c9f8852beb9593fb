import Plotting
import Testing

@testable import ReportBuilder

/// The study's figure presets: colours, labels, bands and the ln 2 line.
@Suite struct StudyPlotsTests {
  private let real: [Float] = [0, 0, 1, 2, 2, -1]
  private let fake: [Float] = [5, 5, 6, 6]

  @Test func samplesSplitsRowMajorPointsAndUsesStudyColours() throws {
    let figure = StudyPlots.samples(real: real, fake: fake, fakeLabel: "noise", title: "t")
    let panel = try #require(figure.panels.first)
    #expect(panel.equalAspect)
    guard case .scatter(let x, let y, _, _) = panel.series[0].kind else {
      Issue.record("real series must be a scatter")
      return
    }
    #expect(x == [0, 1, 2] && y == [0, 2, -1])
    #expect(panel.series[0].color == .real && panel.series[0].label == "real")
    #expect(panel.series[1].color == .generated && panel.series[1].label == "noise")
  }

  @Test func seedGridSharesAxesAndOneLegend() {
    let figure = StudyPlots.seedGrid(
      real: real, fakes: [("seed 1", fake), ("seed 2", fake), ("seed 3", fake), ("seed 4", fake)],
      columns: 3, limits: AxisLimits(x: -5...25, y: -8...8))
    #expect(figure.panels.count == 4 && figure.columns == 3 && figure.rows == 2)
    #expect(figure.sharedX && figure.sharedY && figure.legend == .below)
    #expect(figure.panels.map(\.title) == ["seed 1", "seed 2", "seed 3", "seed 4"])
    #expect(figure.panels.allSatisfy { $0.xLimits == -5...25 && $0.yLimits == -8...8 })
  }

  @Test func curvesDrawMeanAndStandardDeviationBand() throws {
    // Step 0: {0, 2, 2, 4}, sd inside the range. Step 1: one spike, mean − sd < 0 is
    // clipped to the smallest run. Step 2: NaNs leave one value (sd 0).
    let runs: [[Double]] = [[0, 0.1, .nan], [2, 0.1, .nan], [2, 0.1, .nan], [4, 10.1, 4]]
    let figure = StudyPlots.curves(steps: [0, 1, 2], curves: [Curve(label: "G loss", runs: runs)])
    let series = try #require(figure.panels.first?.series)
    #expect(series.count == 3)  // band, mean line, ln 2
    guard case .band(_, let lower, let upper, _) = series[0].kind,
      case .line(_, let mean, _, _, _) = series[1].kind,
      case .horizontalLine(let reference, _) = series[2].kind
    else {
      Issue.record("expected band, line, reference line")
      return
    }
    let tolerance = 1e-12  // a few ulps of values near 1
    // Sample sd of {0, 2, 2, 4} is √(8/3); of {0.1, 0.1, 0.1, 10.1} it is 5.
    #expect(abs(mean[0] - 2) < tolerance && abs(mean[1] - 2.6) < tolerance && mean[2] == 4)
    #expect(abs(lower[0] - (2 - (8.0 / 3).squareRoot())) < tolerance)
    #expect(abs(upper[0] - (2 + (8.0 / 3).squareRoot())) < tolerance)
    #expect(lower[1] == 0.1)  // 2.6 − 5 clipped to the smallest run
    #expect(abs(upper[1] - 7.6) < tolerance)
    #expect(lower[2] == 4 && upper[2] == 4)
    #expect(abs(reference - 0.693147180559945) < 1e-12)
    // The summary is said once, in the legend's title; the label stays clean.
    #expect(series[1].label == "G loss" && series[2].label == "ln 2")
    #expect(figure.panels.first?.legendTitle == "mean ± sd over 4 runs")
  }

  @Test func curvesWithDifferentRunCountsLabelEachCount() throws {
    let figure = StudyPlots.curves(
      steps: [0, 1],
      curves: [Curve(label: "a", runs: [[1, 2], [3, 4]]), Curve(label: "b", runs: [[1, 2], [3, 4], [5, 6]])],
      band: .minMax)
    let series = try #require(figure.panels.first?.series)
    let labels = series.compactMap(\.label)
    #expect(labels == ["a (2 runs)", "b (3 runs)", "ln 2"])
    #expect(figure.panels.first?.legendTitle == "mean, band min–max")
  }

  @Test func curvesFromOneRunHaveNoBand() throws {
    let figure = StudyPlots.curves(
      steps: [0, 1], curves: [Curve(label: "D loss", values: [0.7, 0.69])], referenceLine: nil)
    let series = try #require(figure.panels.first?.series)
    #expect(series.count == 1 && series[0].label == "D loss")
    #expect(figure.panels.first?.notes == nil)
  }

  @Test func aSampledCurveUsesItsOwnSteps() throws {
    let figure = StudyPlots.curves(
      steps: [1, 2, 3, 4],
      curves: [
        Curve(label: "every step", runs: [[1, 2, 3, 4], [1, 2, 3, 4]]),
        Curve(label: "every 2nd", runs: [[5, 6], [7, 8]], steps: [2, 4]),
      ],
      referenceLine: nil)
    let series = try #require(figure.panels.first?.series)
    let lines = series.compactMap { s -> ([Double], [Double])? in
      if case .line(let x, let y, _, _, _) = s.kind { return (x, y) }
      return nil
    }
    let bands = series.compactMap { s -> [Double]? in
      if case .band(let x, _, _, _) = s.kind { return x }
      return nil
    }
    #expect(lines.map(\.0) == [[1, 2, 3, 4], [2, 4]])
    #expect(lines[1].1 == [6, 7])
    #expect(bands == [[1, 2, 3, 4], [2, 4]])
  }

  @Test func minMaxBandSpansTheRuns() throws {
    let figure = StudyPlots.curves(
      steps: [0, 1], curves: [Curve(label: "a", runs: [[1, 5], [3, 2], [2, 4]])], band: .minMax)
    guard case .band(_, let lower, let upper, _) = try #require(figure.panels.first?.series.first)?.kind else {
      Issue.record("expected a band")
      return
    }
    #expect(lower == [1, 2] && upper == [3, 5])
  }

  @Test func featureMeansDrawsThreeLinesOverFeatureIndex() throws {
    let means: [Float] = [0.5, -1, 2]
    let figure = StudyPlots.featureMeans(real: means, fake: means, moving: means)
    let series = try #require(figure.panels.first?.series)
    #expect(series.map(\.label) == ["real batch mean", "fake batch mean", "moving mean"])
    guard case .line(let x, let y, _, _, let markers) = series[0].kind else {
      Issue.record("expected a line")
      return
    }
    #expect(x == [0, 1, 2] && y == [0.5, -1, 2] && markers)
  }
}
