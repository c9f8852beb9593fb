import ArgumentParser
import Foundation
import ReportBuilder
import ReportServer

/// `report serve`: the live preview.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Build, serve the site, and rebuild and update open pages on every save.",
    discussion: """
      Builds like `report build`, serves the site over HTTP, watches the chapters \
      folder, rebuilds after each save and updates every open page in place \
      (keeping its scroll position). A failed build shows its errors over the last \
      good page. Only 127.0.0.1 is listened on unless --host says otherwise. \
      Ctrl-C stops the server.
      """
  )

  @Option(name: .long, help: "TCP port to listen on (0: any free port).")
  var port: Int = 8000

  @Option(name: .long, help: "Address to listen on (0.0.0.0 or :: makes the site reachable from other machines).")
  var host: String = "127.0.0.1"

  @Option(name: .long, help: "Runs to train at the same time (default: active processors).")
  var jobs: Int?

  @OptionGroup var folders: FolderOptions

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
  }

  func run() throws {
    var build = folders.buildOptions()
    if let jobs { build.jobs = jobs }
    var options = ServeOptions(build: build)
    options.host = host
    options.port = port
    guard FileManager.default.fileExists(atPath: build.chaptersDirectory.path) else {
      fail("error: no chapters folder at \(build.chaptersDirectory.path) (see --chapters)")
    }

    let server: PreviewServer
    do { server = try PreviewServer(options: options) } catch { fail("\(error)") }
    let outcome = Outcome()
    Task {
      do {
        try await server.start()
        let port = await server.port ?? self.port
        let shown = host.contains(":") ? "[\(host)]" : host
        options.log("serving \(build.outputDirectory.lastPathComponent)/ at http://\(shown):\(port)/ (Ctrl-C stops)")
        if !options.isLoopback {
          options.log("warning: listening on \(host): anyone who can reach this machine can read the site")
        }
      } catch {
        outcome.finish(error)
      }
    }

    // Ctrl-C: close the socket and the connections, then leave; a build in progress
    // is abandoned (finished runs are already in the cache, the site is untouched).
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    var sources: [DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        Task {
          await server.stop()
          outcome.finish(nil)
        }
        // Whatever happens, be gone within a second.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.7) { outcome.finish(nil) }
      }
      source.resume()
      sources.append(source)
    }
    let failure = outcome.wait()
    withExtendedLifetime(sources) {}
    if let failure { fail("\(failure)") }
    options.log("stopped")
    Foundation.exit(0)
  }

  private func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    Foundation.exit(ExitCode.failure.rawValue)
  }
}

/// The first of: the server failed to start, or a signal asked it to stop.
private final class Outcome: @unchecked Sendable {
  private let lock = NSLock()
  private let done = DispatchSemaphore(value: 0)
  private var finished = false
  private var error: (any Error)?

  func finish(_ error: (any Error)?) {
    let first = lock.withLock { () -> Bool in
      guard !finished else { return false }
      finished = true
      self.error = error
      return true
    }
    if first { done.signal() }
  }

  func wait() -> (any Error)? {
    done.wait()
    return lock.withLock { error }
  }
}
