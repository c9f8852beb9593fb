/// One kind of block directive, ```` ```{name} argument ```` with its body.
///
/// A kind says everything the builder needs to know about it: its name and keys, how
/// it reads a block, what it declares site-wide, what it refers to, which runs and
/// figures it needs, and how it renders. Adding a kind is one file with a type that
/// conforms, plus one line in ``DirectiveRegistry/kinds``.
protocol Directive: Sendable {
  /// The name between the braces, e.g. `figure`.
  static var name: String { get }
  /// The body keys it reads (all of them, for every `kind:` it has).
  static var keys: [String] { get }
  /// Whether its body is `key: value` lines (the default) or lines it reads itself.
  static var bodyIsEntries: Bool { get }
  /// What the block's argument declares for the whole site.
  static var declares: DirectiveDeclaration { get }

  /// Reads and validates the block on its own; `nil` when it has errors (recorded in
  /// `diagnostics`). References to other directives are checked later, in ``check(in:diagnostics:)``.
  static func read(_ block: DirectiveBlock, diagnostics: inout DiagnosticList) -> Self?

  /// The block as written.
  var block: DirectiveBlock { get }
  /// Whether the page shows the directive's own source (`echo: true`).
  var echo: Bool { get }

  /// Checks what it refers to, once every chapter has been read.
  func check(in manuscript: Manuscript, diagnostics: inout DiagnosticList)
  /// The runs it needs trained.
  var runs: [RunJob] { get }
  /// The figures it needs rendered.
  var figures: [FigureDirective] { get }
  /// Its HTML in the page, from the runs' results and the rendered figures.
  func html(in content: ContentRenderer) -> String
}

/// What a directive's argument declares site-wide.
enum DirectiveDeclaration: Sendable {
  /// Nothing: the argument is unused or free text.
  case nothing
  /// An experiment id, unique across the site, that other directives and roles name.
  case experiment
  /// A label numbered as "Figure N" or "Table N", which `{ref}` links to.
  case numbered(isFigure: Bool)
}

extension Directive {
  static var bodyIsEntries: Bool { true }
  static var declares: DirectiveDeclaration { .nothing }
  func check(in manuscript: Manuscript, diagnostics: inout DiagnosticList) {}
  var runs: [RunJob] { [] }
  var figures: [FigureDirective] { [] }
}
