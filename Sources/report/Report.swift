import ArgumentParser
import GANEngine

/// `report`: builds the study's report, and runs or benchmarks single experiments.
struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Build a reproducible report on batch normalization in GANs.",
    discussion: """
      `report build` runs the experiments that the chapters in chapters/ declare \
      (cached by content, in parallel) and writes the static site to build/; \
      `report serve` does the same on every save and shows the site live.
      """,
    subcommands: [
      BuildCommand.self, ServeCommand.self, PlanCommand.self, DiffCommand.self, CleanCommand.self, RunCommand.self,
      BenchCommand.self, WorkerCommand.self,
    ],
    defaultSubcommand: BuildCommand.self
  )
}

@main
enum Entry {
  static func main() {
    // Must come first: it may restart the process so that OpenBLAS loads its
    // fast kernel (the core type is read once, when the library loads).
    BLASKernel.prepareProcess()
    Report.main()
  }
}
