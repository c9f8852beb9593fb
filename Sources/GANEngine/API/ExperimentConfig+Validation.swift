/// A configuration a user asked for that the engine cannot run.
public struct ConfigurationError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The offending setting, in the JSON/flag spelling (e.g. `groups`).
  public var field: String
  /// What is wrong and what is allowed.
  public var message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "invalid \(field): \(message)" }
}

extension ExperimentConfig {
  /// Throws a ``ConfigurationError`` naming the first setting out of range.
  ///
  /// ```swift
  /// var c = ExperimentConfig(); c.norm = .group; c.groups = 5
  /// try c.validate()   // invalid groups: 5 does not divide the width 64
  /// ```
  public func validate() throws {
    func fail(_ field: String, _ message: String) -> ConfigurationError {
      ConfigurationError(field: field, message: message)
    }
    guard steps >= 1 else { throw fail("steps", "must be at least 1 (got \(steps))") }
    guard batchSize >= 2 else { throw fail("batch_size", "must be at least 2 (got \(batchSize))") }
    guard batchSize <= 1 << 20 else { throw fail("batch_size", "must be at most 1048576 (got \(batchSize))") }
    guard width >= 1 && width <= 4096 else { throw fail("width", "must be in 1...4096 (got \(width))") }
    guard momentum.isFinite && momentum >= 0 && momentum < 1 else {
      throw fail("momentum", "must be in [0, 1) (got \(momentum))")
    }
    guard groups >= 1 else { throw fail("groups", "must be at least 1 (got \(groups))") }
    if norm == .group && width % groups != 0 {
      throw fail("groups", "\(groups) does not divide the width \(width)")
    }
    guard shift.isFinite else { throw fail("shift", "must be a finite number") }
    guard learningRate.isFinite && learningRate > 0 else {
      throw fail("learning_rate", "must be positive and finite (got \(learningRate))")
    }
    guard leakySlope.isFinite else { throw fail("leaky_slope", "must be finite") }
    guard epsilon.isFinite && epsilon > 0 else {
      throw fail("epsilon", "must be positive and finite (got \(epsilon))")
    }
  }
}
