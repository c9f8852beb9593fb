import ArgumentParser
import Foundation
import ReportBuilder

/// `report worker PLAN INDEX`: what each task of a Slurm job array runs.
struct WorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Train one run of a build's Slurm plan and store it in the cache (run by array tasks).",
    discussion: """
      `report build --executor slurm` writes the plan into the cache folder and submits one \
      array task per run; each task runs this command. It refuses to train when this node's \
      engine version differs from the plan's, or, for a run with the openblas kernel, its \
      OpenBLAS core, so a result is never stored \
      under a key that does not describe it.
      """)

  @Argument(help: "The plan file (CACHE/slurm/plans/ID.json).")
  var plan: String

  @Argument(help: "The run's index in the plan (default: SLURM_ARRAY_TASK_ID).")
  var index: Int?

  func run() throws {
    guard let index = index ?? ProcessInfo.processInfo.environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init)
    else {
      throw ValidationError("give the run's index, or run inside a Slurm array task (SLURM_ARRAY_TASK_ID)")
    }
    do {
      print(try PlanWorker.run(plan: URL(fileURLWithPath: plan), index: index))
    } catch let error as WorkerError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode.failure
    }
  }
}
