/// One quantity over steps, from one run or several (e.g. one per seed), drawn as
/// its mean with a spread band (``marks(x:band:color:label:width:bandAlpha:)``).
public struct Curve: Sendable, Hashable {
  /// Legend label, e.g. `"G loss"`.
  public var label: String
  /// Colour; `nil` takes the palette's next colour.
  public var color: Color?
  /// One value array per run, each as long as the steps array.
  public var runs: [[Double]]
  /// The x values of this curve when it is sampled at other steps than the panel's
  /// other curves (e.g. every 10th step); `nil`: the panel's steps.
  public var steps: [Double]?

  /// A curve from a single run.
  public init(label: String, color: Color? = nil, values: [Double], steps: [Double]? = nil) {
    self.init(label: label, color: color, runs: [values], steps: steps)
  }

  /// A curve from several runs: drawn as the mean over runs, with a band (see ``Band``)
  /// when there are at least two.
  public init(label: String, color: Color? = nil, runs: [[Double]], steps: [Double]? = nil) {
    precondition(!runs.isEmpty, "Curve: at least one run")
    precondition(Set(runs.map(\.count)).count == 1, "Curve: all runs must have equal lengths")
    precondition(steps == nil || steps?.count == runs[0].count, "Curve: one step per value")
    self.label = label
    self.color = color
    self.runs = runs
    self.steps = steps
  }

  /// The spread drawn around the mean of several runs.
  public enum Band: Sendable, Hashable {
    /// No band.
    case none
    /// Mean ± one (sample) standard deviation over runs, clipped to the runs' minimum
    /// and maximum, so the band never shows values no run took (e.g. a negative loss
    /// when one run spikes).
    case standardDeviation
    /// From the minimum to the maximum over runs.
    case minMax
  }
}
