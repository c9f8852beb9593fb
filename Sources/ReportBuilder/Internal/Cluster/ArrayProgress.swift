import Foundation

/// The waiting display of a job array: queued / running / done / failed counts and the
/// array's job id. A terminal gets one line redrawn in place; a log gets a line each
/// time the counts change; quiet prints nothing.
final class ArrayProgress {
  struct Counts: Equatable {
    var queued = 0
    var running = 0
    var done = 0
    var failed = 0
  }

  private let style: ProgressDisplay.Style
  private let job: String
  private let total: Int
  private let write: (String) -> Void
  private var last: Counts?
  private var drawn = false
  private let started = DispatchTime.now().uptimeNanoseconds

  init(style: ProgressDisplay.Style, job: String, total: Int,
       write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
    self.style = style
    self.job = job
    self.total = total
    self.write = write
  }

  /// `Slurm job array 123: 4 queued, 2 running, 3 done, 0 failed (of 9)`.
  func line(_ counts: Counts) -> String {
    "Slurm job array \(job): \(counts.queued) queued, \(counts.running) running, "
      + "\(counts.done) done, \(counts.failed) failed (of \(total))"
  }

  func show(_ counts: Counts) {
    switch style {
    case .quiet:
      break
    case .lines:
      if counts != last { write(line(counts) + "\n") }
    case .terminal:
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
      write("\r\u{1B}[2K  " + line(counts) + "  " + ProgressDisplay.duration(seconds))
      drawn = true
    }
    last = counts
  }

  /// Ends the live line (before the summary or the failure report).
  func close() {
    if drawn { write("\n") }
    drawn = false
  }
}
