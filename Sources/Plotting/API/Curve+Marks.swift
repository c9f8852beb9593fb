extension Curve {
  /// The curve as marks: its mean over the runs as a line and, when it has at least
  /// two runs, the spread `band` around the mean as a translucent band, both in
  /// `color`. Non-finite values are skipped per step (a step without any finite
  /// value leaves a gap).
  ///
  /// ```swift
  /// let marks = Curve(label: "D loss", runs: perSeed).marks(x: steps, band: .minMax, color: .blue, label: "D loss")
  /// let series = [marks.band, marks.line].compactMap { $0 }
  /// ```
  public func marks(
    x: [Double], band: Band, color: Color, label: String, width: Double = 1.5, bandAlpha: Double = 0.2
  ) -> (band: Series?, line: Series) {
    let stats = RunStatistics(runs)
    var spread: Series? = nil
    if runs.count >= 2, let (lower, upper) = stats.band(band) {
      spread = .band(x: x, lower: lower, upper: upper, color: color, alpha: bandAlpha)
    }
    return (spread, .line(x: x, y: stats.mean, label: label, color: color, width: width))
  }
}
