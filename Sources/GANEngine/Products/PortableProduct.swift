/// The engine's own matrix product, `C = op(A)·op(B)` or `C += op(A)·op(B)`, with
/// one accumulation order for every output element on every CPU.
///
/// Each element is one chain of fused multiply-adds over the inner dimension in
/// ascending order, starting from 0 (or from C's old value when accumulating):
///
///     c = fma(a[i,0], b[0,j], c);  c = fma(a[i,1], b[1,j], c);  …  c = fma(a[i,k−1], b[k−1,j], c)
///
/// A fused multiply-add rounds once and is defined exactly by IEEE 754, so the
/// result depends neither on the vector width, nor on how the work is tiled, nor on
/// whether the CPU has an FMA unit (without one, `fmaf` computes the same value in
/// software, slowly). Vectors only ever hold *different* output elements side by
/// side; a chain is never split into partial sums.
///
/// The tiles keep 4 rows × 16 columns of C in eight 8-float registers and walk the
/// inner dimension in blocks of ``innerBlock`` (an accumulator goes to memory and
/// comes back between blocks, which is exact), so both operands of a block stay in
/// the level-1 cache. Columns left over by the 16- and 8-wide tiles (the networks'
/// outputs of width 1 and 2) take column tiles or scalar chains; rows left over by the
/// 4-row tiles take 2-row tiles 32 columns wide, then single-row tiles. A transposed B
/// is copied transposed first.
///
/// ```swift
/// // C (m × n) = Aᵀ·B + C, A stored k × m, B stored k × n
/// PortableProduct(m: m, n: n, k: k, a: a, lda: m, transposeA: true, b: b, ldb: n,
///                 transposeB: false, c: c, ldc: n, accumulate: true).run()
/// ```
struct PortableProduct {
  let m: Int
  let n: Int
  let k: Int
  let a: UnsafePointer<Float>
  let lda: Int
  let transposeA: Bool
  let b: UnsafePointer<Float>
  let ldb: Int
  let transposeB: Bool
  let c: UnsafeMutablePointer<Float>
  let ldc: Int
  let accumulate: Bool

  /// Inner-dimension block: a 64-row block of two 64-wide operands is 32 KiB. Any
  /// value gives the same bits; this one measured best for the weight gradients.
  static let innerBlock = 64

  /// Computes the product into `c`. `finished`, when given, is called on ascending row
  /// ranges that together cover `0..<m` once, each as soon as its rows of C are final,
  /// so that work on those rows finds them in the level-1 cache.
  func run(finished: ((Range<Int>) -> Void)? = nil) {
    precondition(m >= 0 && n >= 0 && k >= 0, "PortableProduct: negative dimension")
    if m == 0 { return }
    if n == 0 || k == 0 {
      if !accumulate { for i in 0..<m { (c + i &* ldc).update(repeating: 0, count: n) } }
      finished?(0..<m)
      return
    }
    guard transposeB else {
      Operands(product: self, b: b, ldb: ldb).run(finished: finished)
      return
    }
    // op(B) = Bᵀ with B stored n × k: copy it to k × n so that rows of op(B) are contiguous.
    let packed = UnsafeMutablePointer<Float>.allocate(capacity: k &* n)
    defer { packed.deallocate() }
    for j in 0..<n {
      let row = b + j &* ldb
      for p in 0..<k { packed[p &* n &+ j] = row[p] }
    }
    Operands(product: self, b: UnsafePointer(packed), ldb: n).run(finished: finished)
  }
}
