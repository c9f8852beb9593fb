/// Every directive kind the chapters may use, in the order error messages list them.
enum DirectiveRegistry {
  /// Register a new directive kind here (one line).
  static let kinds: [any Directive.Type] = [
    ExperimentDirective.self,
    FigureDirective.self,
    TableDirective.self,
    ClaimsDirective.self,
  ]

  static var names: [String] { kinds.map { $0.name } }

  static func kind(named name: String) -> (any Directive.Type)? {
    kinds.first { $0.name == name }
  }
}
