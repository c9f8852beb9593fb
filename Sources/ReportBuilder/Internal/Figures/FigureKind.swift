import GANEngine
import Plotting

/// One kind of figure (`kind:` of a `{figure}`): the keys it reads, which experiments
/// it draws, its default size, and how it draws them.
///
/// Adding a kind is one file with a type that conforms, plus one line in
/// ``FigureKinds/all``. Everything a kind draws from must be in the ``FigureSpec`` or
/// the runs it is given: the figure cache key is the hash of exactly those.
protocol FigureKind: Sendable {
  /// The value of `kind:`, e.g. `samples`.
  static var name: String { get }
  /// Keys it reads besides ``FigureDirective/commonKeys``.
  static var keys: [String] { get }
  /// How many experiments it draws.
  static var experiments: FigureExperiments { get }
  /// Whether `seed: all` (mean ± sd over the seeds) is allowed.
  static var allowsAllSeeds: Bool { get }
  /// CSS pixels when `size` is not given.
  static var defaultSize: (width: Int, height: Int) { get }
  /// Why it cannot draw `experiment` (e.g. a missing BN layer), or `nil`.
  static func problem(with experiment: ExperimentDirective) -> String?
  /// The figure and the CSV of the data behind it.
  static func draw(_ spec: FigureSpec, runs: [FigureRuns]) -> (figure: Figure, csv: String)
}

/// How many experiments a figure kind draws.
enum FigureExperiments: Sendable {
  /// None (e.g. the real data alone).
  case none
  /// Exactly one, named by `experiment`.
  case one
  /// One or more, by `experiment` or `experiments`.
  case oneOrMore
}

extension FigureKind {
  static var allowsAllSeeds: Bool { false }
  static func problem(with experiment: ExperimentDirective) -> String? { nil }
}

/// The runs of one experiment that a figure draws, in seed order.
struct FigureRuns {
  var experiment: ExperimentDirective
  var results: [(seed: UInt64, result: RunResult)]
}

/// Every figure kind, in the order error messages list them.
enum FigureKinds {
  /// Register a new figure kind here (one line).
  static let all: [any FigureKind.Type] = [
    DataFigure.self,
    SamplesFigure.self,
    SeedGridFigure.self,
    FeatureMeansFigure.self,
    CurvesFigure.self,
    LagFigure.self,
  ]

  static var names: [String] { all.map { $0.name } }

  static func kind(named name: String) -> (any FigureKind.Type)? {
    all.first { $0.name == name }
  }
}
