import Testing

@testable import GANEngine

/// The pure decision of which OpenBLAS core to run on (no exec involved).
@Suite struct BLASPolicyTests {
  static let cooperlakeFlags: Set<String> = [
    "sse2", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16",
  ]
  static let skylakeFlags: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]
  static let haswellFlags: Set<String> = ["sse2", "avx2", "fma"]

  @Test func preferredCoreFromFlags() {
    #expect(BLASCorePolicy.preferredCore(cpuFlags: Self.cooperlakeFlags) == "Cooperlake")
    #expect(BLASCorePolicy.preferredCore(cpuFlags: Self.skylakeFlags) == "SkylakeX")
    // AVX-512 F alone is not enough for the SkylakeX kernels.
    #expect(BLASCorePolicy.preferredCore(cpuFlags: ["avx512f", "avx2", "fma"]) == "Haswell")
    #expect(BLASCorePolicy.preferredCore(cpuFlags: Self.haswellFlags) == "Haswell")
    #expect(BLASCorePolicy.preferredCore(cpuFlags: ["sse2"]) == nil)
  }

  @Test func ranksOrderTheCores() {
    let ordered = ["Prescott", "Haswell", "SkylakeX", "Cooperlake"]
    for (a, b) in zip(ordered, ordered.dropFirst()) {
      #expect(BLASCorePolicy.rank(a) < BLASCorePolicy.rank(b), "\(a) < \(b)")
    }
    #expect(BLASCorePolicy.rank("ZEN") == BLASCorePolicy.rank("haswell"))
    #expect(BLASCorePolicy.rank("Sandybridge") == 0)
  }

  @Test func inheritedSlowerCoreIsOverridden() {
    // The machine's OPENBLAS_CORETYPE=Haswell on an AVX-512 BF16 CPU.
    let d = BLASCorePolicy.decide(
      cpuFlags: Self.cooperlakeFlags, loadedCore: "Haswell", override: nil, inherited: "Haswell")
    #expect(d == .restart(core: "Cooperlake"))
    // A generic fallback with nothing inherited.
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.skylakeFlags, loadedCore: "Prescott", override: nil, inherited: nil)
        == .restart(core: "SkylakeX"))
  }

  @Test func bestOrBetterLoadedCoreIsKept() {
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.cooperlakeFlags, loadedCore: "Cooperlake", override: nil, inherited: nil)
        == .keep(reason: "detected by OpenBLAS"))
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.haswellFlags, loadedCore: "Zen", override: nil, inherited: nil)
        == .keep(reason: "detected by OpenBLAS"))
    // An inherited setting that is already the best stays, and says so.
    let d = BLASCorePolicy.decide(
      cpuFlags: Self.skylakeFlags, loadedCore: "SkylakeX", override: nil, inherited: "SkylakeX")
    #expect(d == .keep(reason: "inherited OPENBLAS_CORETYPE=SkylakeX, the best this CPU supports"))
    // No fast core on this CPU: nothing to do.
    #expect(
      BLASCorePolicy.decide(cpuFlags: ["sse2"], loadedCore: "Prescott", override: nil, inherited: nil)
        == .keep(reason: "detected by OpenBLAS"))
  }

  @Test func overrideForcesOrInherits() {
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.cooperlakeFlags, loadedCore: "Cooperlake", override: "Haswell", inherited: nil)
        == .restart(core: "Haswell"))
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.cooperlakeFlags, loadedCore: "Haswell", override: "haswell", inherited: "Haswell")
        == .keep(reason: "forced by REPORT_BLAS_CORETYPE"))
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.cooperlakeFlags, loadedCore: "Haswell", override: "inherit", inherited: "Haswell")
        == .keep(reason: "inherited (OPENBLAS_CORETYPE=Haswell; REPORT_BLAS_CORETYPE=inherit)"))
    // An empty override counts as unset.
    #expect(
      BLASCorePolicy.decide(cpuFlags: Self.cooperlakeFlags, loadedCore: "Haswell", override: "", inherited: "Haswell")
        == .restart(core: "Cooperlake"))
  }

  @Test func restartedReasonsNameTheInheritedSetting() {
    #expect(
      BLASCorePolicy.restartedReason(override: nil, inherited: "Haswell", fellBack: false)
        == "chosen by report over inherited OPENBLAS_CORETYPE=Haswell")
    #expect(
      BLASCorePolicy.restartedReason(override: "SkylakeX", inherited: nil, fellBack: false)
        == "forced by REPORT_BLAS_CORETYPE over inherited OpenBLAS detection")
    #expect(
      BLASCorePolicy.restartedReason(override: nil, inherited: "Haswell", fellBack: true)
        .hasPrefix("inherited (OPENBLAS_CORETYPE=Haswell)"))
  }

  @Test func coreNamesAreTrimmedAndNeverEmpty() {
    #expect(BLASKernel.coreName(reported: "Haswell") == "Haswell")
    #expect(BLASKernel.coreName(reported: " Zen \n") == "Zen")
    #expect(BLASKernel.coreName(reported: nil) == "unknown")
    #expect(BLASKernel.coreName(reported: "") == "unknown")
    #expect(BLASKernel.coreName(reported: " \n") == "unknown")
  }

  @Test func loadedCoreIsNamedAndComputesCorrectProducts() {
    // This machine's OpenBLAS reports a real core, one the policy can rank.
    let name = BLASKernel.coreName
    #expect(name != "unknown" && !name.contains(" ") && !name.contains("\n"), "\(name)")
    #expect(BLASKernel.verifySGEMM())
    // Run keys of OpenBLAS runs name the same core; portable runs name no CPU.
    let fingerprint = EngineInfo.fingerprint
    #expect(fingerprint.runKeySuffix(for: .openblas) == "engine:\(EngineInfo.version)\nkernel:openblas\nblas:\(name)")
    #expect(fingerprint.runKeySuffix(for: .portable) == "engine:\(EngineInfo.version)\nkernel:portable")
    #expect(fingerprint.kernelName(for: .openblas) == "OpenBLAS \(name)")
  }
}
