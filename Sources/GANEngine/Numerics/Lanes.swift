/// Eight floats processed as one vector: the unit of the engine's row loops and of the
/// portable product's tiles, where the compiler cannot vectorize on its own (reductions
/// along a row, whose order it must not change) or would guard every row with aliasing
/// checks.
///
/// The loads, stores and lane operations these loops use are declared `fileprivate` in
/// each file that runs such a loop, not here: `swift run` makes a debug build, which
/// compiles files one by one and cannot inline a call into another file, and a call per
/// vector would make the engine several times slower there. Reductions over lanes use a
/// fixed tree (`fixedSum` in `Fused/FusedGroupNorm.swift`), so results do not depend on
/// the vector width the code is compiled for.
typealias Lanes = SIMD8<Float>
