import Foundation

/// Compares two ``SiteSnapshot``s item by item. Values and claims are matched by chapter,
/// text and occurrence (so an edit that moves lines does not pair the wrong ones), table
/// cells by table, row and column, figures by label.
struct SiteComparison {
  let old: SiteSnapshot
  let new: SiteSnapshot

  private struct Entry {
    var change: SiteDiff.Change
    var order: Int
  }

  func diff() throws -> SiteDiff {
    var entries: [Entry] = []
    func add(_ chapter: String, _ kind: SiteDiff.Kind, _ item: String, _ detail: String) {
      entries.append(Entry(
        change: SiteDiff.Change(chapter: chapter, kind: kind, item: item, detail: detail), order: entries.count))
    }
    var notes: [String] = []
    for (site, name) in [(old, "the old site"), (new, "the new site")] where site.values == nil {
      notes.append("\(name) (\(site.root.path)) has no data/values.json: values and table cells are not compared")
    }

    // Site-wide facts and chapter sources.
    var facts: [String] = []
    for key in Set(old.facts.keys).union(new.facts.keys).sorted() where old.facts[key] != new.facts[key] {
      facts.append("\(key): \(Self.show(old.facts[key])) → \(Self.show(new.facts[key]))")
    }
    for path in Set(old.chapters.keys).union(new.chapters.keys).sorted() {
      switch (old.chapters[path], new.chapters[path]) {
      case (nil, _): add(path, .source, path, "added")
      case (_, nil): add(path, .source, path, "removed")
      case (let a, let b) where a != b: add(path, .source, path, "edited")
      default: break
      }
    }

    // Runs.
    let runChapters = Self.runChapters(old, new)
    var changedRuns = Set<String>()
    var formatOnly = 0
    for name in Set(old.runNames).union(new.runNames).sorted() {
      let path = "data/runs/\(name).json"
      guard old.files[path] != new.files[path] else { continue }
      let chapter = runChapters[name] ?? "other"
      guard old.files[path] != nil else { add(chapter, .run, name, "added"); changedRuns.insert(name); continue }
      guard new.files[path] != nil else { add(chapter, .run, name, "removed"); changedRuns.insert(name); continue }
      let a = try old.run(name), b = try new.run(name)
      let keys = Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
      if keys.isEmpty {
        formatOnly += 1
      } else {
        changedRuns.insert(name)
        add(chapter, .run, name, keys.map { "\($0) \(Self.show(a[$0])) → \(Self.show(b[$0]))" }
          .joined(separator: "; "))
      }
    }

    if formatOnly > 0 {
      notes.append("\(formatOnly) run file\(formatOnly == 1 ? "" : "s") changed format only (same keys and values"
        + " once camelCase keys are read as snake_case)")
    }

    // Values in prose and captions.
    if let before = old.values?.values, let after = new.values?.values {
      Self.match(before, after, key: { "\(Self.chapterKey($0.chapter))\u{0}\($0.source)" }) { a, b in
        let at = b ?? a
        guard let at else { return }
        let item = "\(at.line):\(at.column) \(at.source)"
        switch (a, b) {
        case (let a?, let b?) where a.text != b.text: add(b.chapter, .value, item, "\(a.text) → \(b.text)")
        case (nil, let b?): add(b.chapter, .value, item, "new: \(b.text)")
        case (let a?, nil): add(a.chapter, .value, item, "removed (was \(a.text))")
        default: break
        }
      }
    }

    // Claims.
    var flipped = 0
    if old.claims != nil || new.claims != nil {
      Self.match(old.claims ?? [], new.claims ?? [], key: { "\(Self.chapterKey($0.chapter))\u{0}\($0.expression)" }) { a, b in
        guard let at = b ?? a else { return }
        let item = "\(at.line):\(at.column) \(at.expression)"
        func truth(_ holds: Bool) -> String { holds ? "holds" : "does NOT hold" }
        switch (a, b) {
        case (let a?, let b?) where a.holds != b.holds:
          flipped += 1
          add(b.chapter, .claim, item,
              "\(truth(a.holds)) → \(truth(b.holds)) (measured \(Self.show(a.measured)) → \(Self.show(b.measured)))")
        case (let a?, let b?) where a.measured != b.measured:
          add(b.chapter, .claim, item,
              "still \(truth(b.holds)); measured \(Self.show(a.measured)) → \(Self.show(b.measured))")
        case (nil, let b?): add(b.chapter, .claim, item, "new, \(truth(b.holds)) (measured \(Self.show(b.measured)))")
        case (let a?, nil): add(a.chapter, .claim, item, "removed (\(truth(a.holds)))")
        default: break
        }
      }
    }

    // Table cells.
    if let before = old.values?.cells, let after = new.values?.cells {
      Self.match(before, after, key: { "\($0.table)\u{0}\($0.row)\u{0}\($0.column)" }) { a, b in
        guard let at = b ?? a else { return }
        let item = "\(at.table): \(at.row), \(at.column)"
        switch (a, b) {
        case (let a?, let b?) where a.text != b.text: add(b.chapter, .cell, item, "\(a.text) → \(b.text)")
        case (nil, let b?): add(b.chapter, .cell, item, "new: \(b.text)")
        case (let a?, nil): add(a.chapter, .cell, item, "removed (was \(a.text))")
        default: break
        }
      }
    }

    // Figures.
    var explained = Set(["data/values.json", "data/claims.json"])
    let figureChapters = Self.figureChapters(old, new)
    var figureRuns: [String: [String]] = [:]
    for uses in (old.values?.figures ?? []) + (new.values?.figures ?? []) { figureRuns[uses.name] = uses.runs }
    var labels = (new.values?.figures ?? []).map(\.name) + (old.values?.figures ?? []).map(\.name)
    for path in old.files.keys.sorted() + new.files.keys.sorted()
    where path.hasPrefix("figures/") && path.hasSuffix(".png") {
      labels.append(String(path.dropFirst("figures/".count).dropLast(".png".count)))
    }
    var seen = Set<String>()
    for label in labels where seen.insert(label).inserted {
      let files = [("png", "figures/\(label).png"), ("svg", "figures/\(label).svg"), ("data", "data/\(label).csv")]
      explained.formUnion(files.map(\.1))
      let chapter = figureChapters[label] ?? "other"
      if files.allSatisfy({ old.files[$0.1] == nil }) { add(chapter, .figure, label, "new"); continue }
      if files.allSatisfy({ new.files[$0.1] == nil }) { add(chapter, .figure, label, "removed"); continue }
      let changed = files.filter { old.files[$0.1] != new.files[$0.1] }.map(\.0)
      guard !changed.isEmpty else { continue }
      let runs = (figureRuns[label] ?? []).filter(changedRuns.contains)
      add(chapter, .figure, label, changed.joined(separator: ", ") + " changed; "
        + (runs.isEmpty ? "none of its runs changed" : "its runs changed: " + Self.grouped(runs)))
    }

    let others = Set(old.files.keys).union(new.files.keys).filter { path in
      !path.hasPrefix("data/runs/") && !explained.contains(path) && old.files[path] != new.files[path]
    }.sorted()

    let sorted = entries.sorted {
      let a = $0.change, b = $1.change
      let ka = SiteDiff.Kind.allCases.firstIndex(of: a.kind) ?? 0
      let kb = SiteDiff.Kind.allCases.firstIndex(of: b.kind) ?? 0
      return (Self.chapterKey(a.chapter), ka, $0.order) < (Self.chapterKey(b.chapter), kb, $1.order)
    }
    // One spelling per chapter group, the file path when any item gives it: the claims
    // file names chapters by page (`02-bn`), the rest by path (`chapters/02-bn.md`).
    var spelling: [String: String] = [:]
    for entry in sorted {
      let key = Self.chapterKey(entry.change.chapter)
      if spelling[key] == nil || entry.change.chapter.hasSuffix(".md") && spelling[key]?.hasSuffix(".md") == false {
        spelling[key] = entry.change.chapter
      }
    }
    let changes = sorted.map { entry -> SiteDiff.Change in
      var change = entry.change
      change.chapter = spelling[Self.chapterKey(change.chapter)] ?? change.chapter
      return change
    }
    return SiteDiff(
      changes: changes, site: facts, otherFiles: others, claimsChangedTruth: flipped, notes: notes)
  }

  // MARK: - Helpers

  /// `chapters/02-bn.md` and `02-bn` name the same chapter.
  static func chapterKey(_ chapter: String) -> String {
    var name = chapter.split(separator: "/").last.map(String.init) ?? chapter
    if name.hasSuffix(".md") { name.removeLast(3) }
    return name
  }

  /// `bn s1-5; ln s2`: run file names (`bn-s1`) with each experiment's seeds together.
  static func grouped(_ runs: [String]) -> String {
    BuildPlan.grouped(runs.map { name in
      guard let dash = name.range(of: "-s", options: .backwards) else { return name }
      return name.replacingCharacters(in: dash, with: " s")
    })
  }

  static func show(_ value: JSONValue?) -> String { value?.description ?? "(none)" }

  /// Run (`bn-s1`) → chapter of its experiment, from both sites' `data/values.json`
  /// (the new one wins).
  private static func runChapters(_ old: SiteSnapshot, _ new: SiteSnapshot) -> [String: String] {
    var out: [String: String] = [:]
    for uses in (old.values?.experiments ?? []) + (new.values?.experiments ?? []) {
      for run in uses.runs { out[run] = uses.chapter }
    }
    return out
  }

  /// Figure label → chapter, likewise.
  private static func figureChapters(_ old: SiteSnapshot, _ new: SiteSnapshot) -> [String: String] {
    var out: [String: String] = [:]
    for uses in (old.values?.figures ?? []) + (new.values?.figures ?? []) { out[uses.name] = uses.chapter }
    return out
  }

  /// Pairs items with equal keys in order of occurrence; unpaired ones come with nil.
  /// `visit` sees the new site's items in order, then the old site's leftovers.
  private static func match<T>(_ old: [T], _ new: [T], key: (T) -> String, visit: (T?, T?) -> Void) {
    var pending: [String: [T]] = [:]
    var order: [String] = []
    for item in old {
      let k = key(item)
      if pending[k] == nil { order.append(k) }
      pending[k, default: []].append(item)
    }
    for item in new {
      let k = key(item)
      if var queue = pending[k], !queue.isEmpty {
        visit(queue.removeFirst(), item)
        pending[k] = queue
      } else {
        visit(nil, item)
      }
    }
    for k in order { for item in pending[k] ?? [] { visit(item, nil) } }
  }
}
