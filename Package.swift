// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The numeric targets are compiled with optimization in every configuration:
/// `swift run report build` is a debug build, and an unoptimized float32 core
/// is more than ten times slower. `-enforce-exclusivity=unchecked` drops the
/// dynamic exclusivity checks in the inner loops.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]

/// The engine is also compiled for the build machine's vector unit when that is an
/// x86-64 CPU with AVX2 and FMA (what `-march=native` does for C): its row loops then
/// run 8 floats wide instead of 4, which takes about a fifth off a BatchNorm training
/// step. The results are the same bits either way — Swift never fuses a multiply and
/// an add on its own, and every reduction has a fixed order — so cached runs stay
/// valid. The price is that such a build runs only on CPUs with AVX2; set
/// `REPORT_PORTABLE_ENGINE=1` to build for any x86-64 CPU. `ENGINE_AVX2` turns on the
/// few loops that use the compiler's AVX intrinsics (the thin products' transposes and
/// GroupNorm's group sums).
let engineVectorUnit: [SwiftSetting] = {
  guard Context.environment["REPORT_PORTABLE_ENGINE"] == nil,
    let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
  else { return [] }
  let features = Set(flags.split(whereSeparator: { $0 == " " || $0 == "\t" }))
  guard features.contains("avx2"), features.contains("fma") else { return [] }
  return [.unsafeFlags(["-target-cpu", "haswell"]), .define("ENGINE_AVX2")]
}()

/// `Float.squareRoot()` reaches the engine through a C inline function that calls
/// `sqrtf` with C's `errno` semantics, so a vector of square roots becomes one scalar
/// square root per lane, each with a branch to `sqrtf` for negative input. Without
/// `errno` it is one vector instruction (`vsqrtps`). A square root is correctly rounded
/// either way, so the results are the same bits; GroupNorm takes eight per row.
let noMathErrno: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]

let package = Package(
  name: "report",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "report", targets: ["report"]),
    .library(name: "GANEngine", targets: ["GANEngine"]),
    .library(name: "Plotting", targets: ["Plotting"]),
    .library(name: "ReportBuilder", targets: ["ReportBuilder"]),
    .library(name: "ReportServer", targets: ["ReportServer"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // HTTP and WebSocket for `report serve`: pure Swift on sockets, no SwiftNIO.
    .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
  ],
  targets: [
    // C-library shims, one per system library.
    .systemLibrary(
      name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),
    .systemLibrary(
      name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

    // The GAN engine: layers, optimizer, trainer, metrics. No report or HTML code.
    .target(name: "GANEngine", dependencies: ["CBLAS"], swiftSettings: optimized + engineVectorUnit + noMathErrno),
    // Figures through Cairo, to PNG and SVG.
    .target(name: "Plotting", dependencies: ["CCairo"], swiftSettings: optimized),
    // Chapters → runs → figures → static site.
    .target(
      name: "ReportBuilder",
      dependencies: [
        "GANEngine", "Plotting", "CCmarkGFM",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      // The page shell and the stylesheet.
      resources: [.copy("Resources")]),
    // `report serve`: the live preview (HTTP, WebSocket, chapter watcher, rebuild loop).
    .target(
      name: "ReportServer",
      dependencies: [
        "ReportBuilder",
        .product(name: "FlyingFox", package: "FlyingFox"),
        .product(name: "FlyingSocks", package: "FlyingFox"),
      ]),
    // The thin command-line front end.
    .executableTarget(
      name: "report",
      dependencies: [
        "ReportBuilder", "ReportServer", "GANEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .testTarget(name: "GANEngineTests", dependencies: ["GANEngine"], resources: [.copy("Fixtures")]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
    .testTarget(
      name: "reportTests",
      dependencies: ["report", "GANEngine", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .testTarget(name: "ReportBuilderTests", dependencies: ["ReportBuilder", "GANEngine", "Plotting"], resources: [.copy("Fixtures")]),
    .testTarget(name: "ReportServerTests", dependencies: ["ReportServer", "ReportBuilder"]),
  ]
)
