// swift-tools-version:6.0
import PackageDescription

/// The numeric targets are compiled with optimization in every configuration:
/// `swift run report build` is a debug build, and an unoptimized float32 core
/// is more than ten times slower. `-enforce-exclusivity=unchecked` drops the
/// dynamic exclusivity checks in the inner loops.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]

let package = Package(
  name: "report",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "report", targets: ["report"]),
    .library(name: "GANEngine", targets: ["GANEngine"]),
    .library(name: "Plotting", targets: ["Plotting"]),
    .library(name: "ReportBuilder", targets: ["ReportBuilder"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
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
    .target(name: "GANEngine", dependencies: ["CBLAS"], swiftSettings: optimized),
    // Figures through Cairo, to PNG and SVG.
    .target(name: "Plotting", dependencies: ["CCairo"], swiftSettings: optimized),
    // Chapters → runs → figures → static site.
    .target(
      name: "ReportBuilder",
      dependencies: [
        "GANEngine", "Plotting", "CCmarkGFM",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // The thin command-line front end.
    .executableTarget(
      name: "report",
      dependencies: [
        "ReportBuilder", "GANEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .testTarget(name: "GANEngineTests", dependencies: ["GANEngine"], resources: [.copy("Fixtures")]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
    .testTarget(name: "ReportBuilderTests", dependencies: ["ReportBuilder", "GANEngine"], resources: [.copy("Fixtures")]),
  ]
)
