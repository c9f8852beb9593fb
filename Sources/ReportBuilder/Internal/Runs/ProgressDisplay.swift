import Foundation

/// Shows training progress on stderr.
///
/// On a terminal: one live line per active run (experiment, seed, step/total, steps/s,
/// ETA) and an overall bar, redrawn in place with ANSI escapes at most 10 times a
/// second. Otherwise: one line per finished run. Quiet: nothing.
final class ProgressDisplay: Sendable {
  enum Style: Sendable { case terminal, lines, quiet }

  private struct Active {
    var name: String
    var step = 0
    var total: Int
    var started: UInt64
  }

  /// What changes while runs progress; reached only through its lock.
  private struct Live {
    var finishedRuns = 0
    var finishedSteps = 0
    var active: [Int: Active] = [:]
    var drawnLines = 0
    var lastDraw: UInt64 = 0
  }

  private let live = Locked(Live())
  private let style: Style
  private let totalRuns: Int
  private let totalSteps: Int
  private let started = DispatchTime.now().uptimeNanoseconds
  private let write: @Sendable (String) -> Void

  init(style: Style, totalRuns: Int, totalSteps: Int,
       write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
    self.style = style
    self.totalRuns = totalRuns
    self.totalSteps = totalSteps
    self.write = write
  }

  /// The style for stderr: a terminal gets live lines.
  static func style(quiet: Bool) -> Style {
    if quiet { return .quiet }
    return isatty(STDERR_FILENO) != 0 ? .terminal : .lines
  }

  func start(slot: Int, name: String, total: Int) {
    live.withLock { live in
      live.active[slot] = Active(name: name, total: total, started: DispatchTime.now().uptimeNanoseconds)
      redraw(&live, force: true)
    }
  }

  func update(slot: Int, step: Int) {
    live.withLock { live in
      live.active[slot]?.step = step
      redraw(&live, force: false)
    }
  }

  func finish(slot: Int, note: String) {
    live.withLock { live in
      guard let run = live.active.removeValue(forKey: slot) else { return }
      live.finishedRuns += 1
      live.finishedSteps += run.total
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - run.started) / 1e9
      switch style {
      case .quiet: break
      case .lines:
        write("[\(live.finishedRuns)/\(totalRuns)] \(run.name): \(run.step) steps in "
          + String(format: "%.1f", seconds) + " s" + (note.isEmpty ? "" : " (\(note))") + "\n")
      case .terminal:
        clear(&live)
        write("✓ \(run.name): \(run.step) steps in " + String(format: "%.1f", seconds) + " s"
          + (note.isEmpty ? "" : " (\(note))") + "\n")
        redraw(&live, force: true)
      }
    }
  }

  /// Forgets a run that did not start after all (the build was cancelled).
  func abandon(slot: Int) {
    live.withLock { live in
      live.active[slot] = nil
      redraw(&live, force: true)
    }
  }

  /// Removes the live lines (before the summary is printed).
  func close() {
    live.withLock { clear(&$0) }
  }

  // MARK: - Drawing (called with the lock held)

  private func clear(_ live: inout Live) {
    guard style == .terminal, live.drawnLines > 0 else { return }
    write(String(repeating: "\u{1B}[1A\u{1B}[2K", count: live.drawnLines) + "\r")
    live.drawnLines = 0
  }

  private func redraw(_ live: inout Live, force: Bool) {
    guard style == .terminal else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    guard force || now - live.lastDraw > 100_000_000 else { return }
    live.lastDraw = now
    clear(&live)
    var lines: [String] = []
    var activeSteps = 0
    for slot in live.active.keys.sorted() {
      guard let run = live.active[slot] else { continue }
      activeSteps += run.step
      let seconds = max(1e-9, Double(now - run.started) / 1e9)
      let rate = Double(run.step) / seconds
      let eta = rate > 0 ? Double(run.total - run.step) / rate : .nan
      lines.append("  " + run.name.padding(toLength: max(24, run.name.count), withPad: " ", startingAt: 0)
        + String(format: " %6d/%-6d %7.1f steps/s  ETA ", run.step, run.total, rate) + Self.duration(eta))
    }
    let done = totalSteps > 0 ? Double(live.finishedSteps + activeSteps) / Double(totalSteps) : 1
    let width = 30
    let filled = min(width, max(0, Int((done * Double(width)).rounded(.down))))
    let elapsed = Double(now - started) / 1e9
    let eta = done > 0.001 ? elapsed * (1 - done) / done : .nan
    lines.append("  [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
      + String(format: "] %3d%%  %d/%d runs  ETA ", Int(done * 100), live.finishedRuns, totalRuns)
      + Self.duration(eta))
    write(lines.joined(separator: "\n") + "\n")
    live.drawnLines = lines.count
  }

  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "--:--" }
    let total = Int(seconds.rounded())
    return String(format: "%d:%02d", total / 60, total % 60)
  }
}
