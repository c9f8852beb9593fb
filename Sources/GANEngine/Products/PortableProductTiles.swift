// Everything the product's inner loops call lives in this file: a debug build compiles
// files one by one and cannot inline a call into another file (the tiles would run at a
// sixth of their speed), so the lane loads and stores below are this file's own.

#if ENGINE_AVX2
  // The compiler's own x86 intrinsics (a Clang module, not a system library): the
  // register transposes of the thin products need real shuffles, which Swift's SIMD
  // types do not spell (built from lanes, they become chains of `vinsertps`).
  import _Builtin_intrinsics.intel
#endif

/// A product whose B is stored k × n (rows of op(B) contiguous); A is addressed by
/// strides, so op(A) = A and op(A) = Aᵀ share the tiles.
struct Operands {
  let m: Int, n: Int, k: Int
  let a: UnsafePointer<Float>
  /// Distance between A's elements (i, p) and (i + 1, p), and (i, p) and (i, p + 1).
  let rowStride: Int, innerStride: Int
  let transposeA: Bool
  let b: UnsafePointer<Float>
  let ldb: Int
  let c: UnsafeMutablePointer<Float>
  let ldc: Int
  let accumulate: Bool

  init(product p: PortableProduct, b: UnsafePointer<Float>, ldb: Int) {
    (m, n, k, a, transposeA, c, ldc, accumulate) = (p.m, p.n, p.k, p.a, p.transposeA, p.c, p.ldc, p.accumulate)
    rowStride = p.transposeA ? 1 : p.lda
    innerStride = p.transposeA ? p.lda : 1
    self.b = b
    self.ldb = ldb
  }

  /// Computes the product. `finished`, when given, is called on ascending row ranges
  /// that together cover `0..<m` once, each as soon as its rows of C hold their final
  /// values (while they are still in the level-1 cache).
  func run(finished: ((Range<Int>) -> Void)? = nil) {
    let wide = n - n % 8
    let fullRows = m - m % 4
    // Thin columns are computed after all the row tiles: then no row is final before the end.
    let rowsFinished = wide == n ? finished : nil
    var start = 0
    while start < k {
      let count = min(PortableProduct.innerBlock, k - start)
      // The first block starts each chain at 0 unless the product accumulates.
      let resume = accumulate || start > 0
      let report = start + count == k ? rowsFinished : nil
      var i = 0
      var unreported = 0
      while i < fullRows {
        tiles(rows: i, inner: start, count: count, resume: resume, fourRows: true, columns: 0..<wide)
        i += 4
        // Reported 16 rows at a time (4 KiB of a 64-wide C): few calls, still in L1.
        if i - unreported == Self.rowsPerReport || i == fullRows {
          report?(unreported..<i)
          unreported = i
        }
      }
      if i + 2 <= m {
        // Two rows left (a weight gradient of a 2-wide input): 2 × 32 tiles keep eight
        // chains in flight, where single-row tiles would keep two and wait on each FMA.
        let pa = a + i &* rowStride + start &* innerStride
        var j = 0
        while j + 32 <= wide {
          Tile.twoRows32(
            count, pa, rowStride, innerStride, b + start &* ldb + j, ldb, c + i &* ldc + j, ldc, resume)
          j += 32
        }
        for row in i..<i + 2 {
          tiles(rows: row, inner: start, count: count, resume: resume, fourRows: false, columns: j..<wide)
        }
        report?(i..<i + 2)
        i += 2
      }
      while i < m {
        tiles(rows: i, inner: start, count: count, resume: resume, fourRows: false, columns: 0..<wide)
        report?(i..<i + 1)
        i += 1
      }
      start += count
    }
    if wide < n {
      thinColumns(wide..<n)
      finished?(0..<m)
    }
  }

  /// Rows of 4-row tiles reported to `finished` at once.
  static var rowsPerReport: Int { 16 }

  /// The 16- and 8-wide tiles of rows `rows..<rows+4` (or the single row `rows`)
  /// over `columns` (a multiple of 8 wide), for the inner block `inner..<inner+count`.
  @inline(__always)
  private func tiles(rows i: Int, inner p: Int, count: Int, resume: Bool, fourRows: Bool, columns: Range<Int>) {
    let pa = a + i &* rowStride + p &* innerStride
    var j = columns.lowerBound
    while j + 16 <= columns.upperBound {
      let pb = b + p &* ldb + j
      let pc = c + i &* ldc + j
      if fourRows {
        Tile.four(count, pa, rowStride, innerStride, pb, ldb, pc, ldc, resume)
      } else {
        Tile.one(count, pa, innerStride, pb, ldb, pc, resume, width16: true)
      }
      j += 16
    }
    if j < columns.upperBound {  // 8 columns left
      let pb = b + p &* ldb + j
      let pc = c + i &* ldc + j
      if fourRows {
        Tile.fourNarrow(count, pa, rowStride, innerStride, pb, ldb, pc, ldc, resume)
      } else {
        Tile.one(count, pa, innerStride, pb, ldb, pc, resume, width16: false)
      }
    }
  }

  /// Columns `columns` of C (fewer than 8): with Aᵀ stored k × m, eight rows of C
  /// are eight contiguous elements of A, so the chains run 8 rows wide; otherwise
  /// eight rows run as eight independent scalar chains.
  private func thinColumns(_ columns: Range<Int>) {
    var j = columns.lowerBound
    while j < columns.upperBound {
      // Two columns at a time share every load of A.
      let pair = j + 1 < columns.upperBound
      let thin = j..<(pair ? j + 2 : j + 1)
      var i = 0
      if transposeA {
        if pair {
          while i + 32 <= m {
            Tile.columnPairOf32(k, a + i, innerStride, b + j, ldb, c + (i &* ldc &+ j), ldc, accumulate)
            i += 32
          }
        }
        for column in thin {
          scalarRemainder(rows: columnTiles(column: column, from: i)..<m, column: column)
        }
      } else {
        #if ENGINE_AVX2
          if k % 8 == 0 { i = transposedRows(column: j, pair: pair) }
        #endif
        if pair {
          while i + 4 <= m {
            Tile.scalarRows4Pair(k, a + i &* rowStride, rowStride, b + j, ldb, c + (i &* ldc &+ j), ldc, accumulate)
            i += 4
          }
        } else {
          while i + 8 <= m {
            Tile.scalarRows8(k, a + i &* rowStride, rowStride, b + j, ldb, c + (i &* ldc &+ j), ldc, accumulate)
            i += 8
          }
        }
        for column in thin { scalarRemainder(rows: i..<m, column: column) }
      }
      j = thin.upperBound
    }
  }

  #if ENGINE_AVX2
    /// Column `j` of C (and `j + 1` with `pair`) with A stored row by row and k a
    /// multiple of 8, in tiles of 16 and 8 rows whose blocks of A are transposed in
    /// registers, so that each chain runs 8 rows wide; returns the first row left to
    /// the scalar chains. B's elements are broadcast into vectors first, one copy per
    /// 8-row group of a tile: each FMA then reads its own copy from memory, which keeps
    /// the two groups' transposes within the 16 vector registers.
    private func transposedRows(column j: Int, pair: Bool) -> Int {
      let width = pair ? 2 : 1
      return withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 2 &* width &* k) { buffer in
        let splat = buffer.baseAddress!
        for group in 0..<2 {
          for column in 0..<width {
            for p in 0..<k {
              splat[(group &* width &+ column) &* k &+ p] = Lanes(repeating: b[p &* ldb &+ j &+ column])
            }
          }
        }
        var i = 0
        while i + 16 <= m {
          let (pa, pc) = (a + i &* rowStride, c + (i &* ldc &+ j))
          // A literal `pair` per call: each inlined copy of the hot tile has no branch on it.
          if pair {
            Tile.transposedRows16(k, pa, rowStride, splat, pc, ldc, accumulate, pair: true)
          } else {
            Tile.transposedRows16(k, pa, rowStride, splat, pc, ldc, accumulate, pair: false)
          }
          i += 16
        }
        if i + 8 <= m {
          Tile.transposedRows8(k, a + i &* rowStride, rowStride, splat, c + (i &* ldc &+ j), ldc, accumulate, pair: pair)
          i += 8
        }
        return i
      }
    }
  #endif

  /// Column `j` of C from row `start` with A stored transposed, in tiles of 64 and 8
  /// rows; returns the first row left to the scalar chains.
  private func columnTiles(column j: Int, from start: Int) -> Int {
    var i = start
    while i + 64 <= m {
      Tile.columnOf64(k, a + i, innerStride, b + j, ldb, c + (i &* ldc &+ j), ldc, accumulate)
      i += 64
    }
    while i + 8 <= m {
      Tile.columnOf8(k, a + i, innerStride, b + j, ldb, c + (i &* ldc &+ j), ldc, accumulate)
      i += 8
    }
    return i
  }

  /// Rows `rows` of column `j`, one scalar chain each.
  private func scalarRemainder(rows: Range<Int>, column j: Int) {
    for i in rows {
      var sum: Float = accumulate ? c[i &* ldc &+ j] : 0
      var pa = a + i &* rowStride
      var pb = b + j
      for _ in 0..<k {
        sum = sum.addingProduct(pa.pointee, pb.pointee)
        pa += innerStride
        pb += ldb
      }
      c[i &* ldc &+ j] = sum
    }
  }
}

/// The register tiles of ``PortableProduct``. Every tile runs, for each output
/// element it holds, `acc = fma(a, b, acc)` over its inner block in ascending order;
/// the `resume` flag says whether the chains start from C or from 0.
private enum Tile {
  // MARK: Row tiles (B's rows contiguous)

  /// Four rows × 16 columns: eight accumulators, two loads of B and four broadcasts
  /// of A per step.
  @inline(__always)
  static func four(
    _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    let c1 = c + ldc, c2 = c + 2 &* ldc, c3 = c + 3 &* ldc
    var x00 = Lanes(), x01 = Lanes(), x10 = Lanes(), x11 = Lanes()
    var x20 = Lanes(), x21 = Lanes(), x30 = Lanes(), x31 = Lanes()
    if resume {
      (x00, x01, x10, x11) = (c.load8(0), c.load8(8), c1.load8(0), c1.load8(8))
      (x20, x21, x30, x31) = (c2.load8(0), c2.load8(8), c3.load8(0), c3.load8(8))
    }
    let (r1, r2, r3) = (rs, 2 &* rs, 3 &* rs)
    var pa = a
    var pb = b
    for _ in 0..<k {
      let b0 = pb.load8(0), b1 = pb.load8(8)
      let a0 = Lanes(repeating: pa[0])
      x00 = x00.addingProduct(a0, b0)
      x01 = x01.addingProduct(a0, b1)
      let a1 = Lanes(repeating: pa[r1])
      x10 = x10.addingProduct(a1, b0)
      x11 = x11.addingProduct(a1, b1)
      let a2 = Lanes(repeating: pa[r2])
      x20 = x20.addingProduct(a2, b0)
      x21 = x21.addingProduct(a2, b1)
      let a3 = Lanes(repeating: pa[r3])
      x30 = x30.addingProduct(a3, b0)
      x31 = x31.addingProduct(a3, b1)
      pa += ks
      pb += ldb
    }
    c.store8(x00, 0); c.store8(x01, 8); c1.store8(x10, 0); c1.store8(x11, 8)
    c2.store8(x20, 0); c2.store8(x21, 8); c3.store8(x30, 0); c3.store8(x31, 8)
  }

  /// Four rows × 8 columns.
  @inline(__always)
  static func fourNarrow(
    _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    let c1 = c + ldc, c2 = c + 2 &* ldc, c3 = c + 3 &* ldc
    var x0 = Lanes(), x1 = Lanes(), x2 = Lanes(), x3 = Lanes()
    if resume { (x0, x1, x2, x3) = (c.load8(0), c1.load8(0), c2.load8(0), c3.load8(0)) }
    let (r1, r2, r3) = (rs, 2 &* rs, 3 &* rs)
    var pa = a
    var pb = b
    for _ in 0..<k {
      let b0 = pb.load8(0)
      x0 = x0.addingProduct(Lanes(repeating: pa[0]), b0)
      x1 = x1.addingProduct(Lanes(repeating: pa[r1]), b0)
      x2 = x2.addingProduct(Lanes(repeating: pa[r2]), b0)
      x3 = x3.addingProduct(Lanes(repeating: pa[r3]), b0)
      pa += ks
      pb += ldb
    }
    c.store8(x0, 0); c1.store8(x1, 0); c2.store8(x2, 0); c3.store8(x3, 0)
  }

  /// Two rows × 32 columns: eight accumulators, four loads of B and two broadcasts of
  /// A per step.
  @inline(__always)
  static func twoRows32(
    _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    let c1 = c + ldc
    var x0 = Lanes(), x1 = Lanes(), x2 = Lanes(), x3 = Lanes()
    var y0 = Lanes(), y1 = Lanes(), y2 = Lanes(), y3 = Lanes()
    if resume {
      (x0, x1, x2, x3) = (c.load8(0), c.load8(8), c.load8(16), c.load8(24))
      (y0, y1, y2, y3) = (c1.load8(0), c1.load8(8), c1.load8(16), c1.load8(24))
    }
    var pa = a
    var pb = b
    for _ in 0..<k {
      let b0 = pb.load8(0), b1 = pb.load8(8), b2 = pb.load8(16), b3 = pb.load8(24)
      let a0 = Lanes(repeating: pa[0])
      x0 = x0.addingProduct(a0, b0)
      x1 = x1.addingProduct(a0, b1)
      x2 = x2.addingProduct(a0, b2)
      x3 = x3.addingProduct(a0, b3)
      let a1 = Lanes(repeating: pa[rs])
      y0 = y0.addingProduct(a1, b0)
      y1 = y1.addingProduct(a1, b1)
      y2 = y2.addingProduct(a1, b2)
      y3 = y3.addingProduct(a1, b3)
      pa += ks
      pb += ldb
    }
    c.store8(x0, 0); c.store8(x1, 8); c.store8(x2, 16); c.store8(x3, 24)
    c1.store8(y0, 0); c1.store8(y1, 8); c1.store8(y2, 16); c1.store8(y3, 24)
  }

  /// One row × 16 columns (`width16`) or × 8.
  @inline(__always)
  static func one(
    _ k: Int, _ a: UnsafePointer<Float>, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ resume: Bool, width16: Bool
  ) {
    var x0 = resume ? c.load8(0) : Lanes()
    var x1 = resume && width16 ? c.load8(8) : Lanes()
    var pa = a
    var pb = b
    if width16 {
      for _ in 0..<k {
        let a0 = Lanes(repeating: pa[0])
        x0 = x0.addingProduct(a0, pb.load8(0))
        x1 = x1.addingProduct(a0, pb.load8(8))
        pa += ks
        pb += ldb
      }
      c.store8(x0, 0)
      c.store8(x1, 8)
    } else {
      for _ in 0..<k {
        x0 = x0.addingProduct(Lanes(repeating: pa[0]), pb.load8(0))
        pa += ks
        pb += ldb
      }
      c.store8(x0, 0)
    }
  }

  // MARK: Column tiles (one column of C, rows of Aᵀ contiguous)

  /// 64 rows × one column with A stored transposed: eight accumulators of eight
  /// rows, eight loads of A and one broadcast of B per step.
  @inline(__always)
  static func columnOf64(
    _ k: Int, _ a: UnsafePointer<Float>, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    var x = (Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes())
    if resume {
      x = (
        c.column(0, ldc), c.column(8, ldc), c.column(16, ldc), c.column(24, ldc),
        c.column(32, ldc), c.column(40, ldc), c.column(48, ldc), c.column(56, ldc)
      )
    }
    var pa = a
    var pb = b
    for _ in 0..<k {
      let s = Lanes(repeating: pb.pointee)
      x.0 = x.0.addingProduct(pa.load8(0), s)
      x.1 = x.1.addingProduct(pa.load8(8), s)
      x.2 = x.2.addingProduct(pa.load8(16), s)
      x.3 = x.3.addingProduct(pa.load8(24), s)
      x.4 = x.4.addingProduct(pa.load8(32), s)
      x.5 = x.5.addingProduct(pa.load8(40), s)
      x.6 = x.6.addingProduct(pa.load8(48), s)
      x.7 = x.7.addingProduct(pa.load8(56), s)
      pa += ks
      pb += ldb
    }
    c.setColumn(x.0, 0, ldc); c.setColumn(x.1, 8, ldc); c.setColumn(x.2, 16, ldc); c.setColumn(x.3, 24, ldc)
    c.setColumn(x.4, 32, ldc); c.setColumn(x.5, 40, ldc); c.setColumn(x.6, 48, ldc); c.setColumn(x.7, 56, ldc)
  }

  /// 32 rows × two columns with A stored transposed: eight accumulators, four loads
  /// of A serving both columns and two broadcasts of B per step.
  @inline(__always)
  static func columnPairOf32(
    _ k: Int, _ a: UnsafePointer<Float>, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    let d = c + 1
    var x = (Lanes(), Lanes(), Lanes(), Lanes())
    var y = (Lanes(), Lanes(), Lanes(), Lanes())
    if resume {
      x = (c.column(0, ldc), c.column(8, ldc), c.column(16, ldc), c.column(24, ldc))
      y = (d.column(0, ldc), d.column(8, ldc), d.column(16, ldc), d.column(24, ldc))
    }
    var pa = a
    var pb = b
    for _ in 0..<k {
      let s = Lanes(repeating: pb[0]), t = Lanes(repeating: pb[1])
      let a0 = pa.load8(0), a1 = pa.load8(8), a2 = pa.load8(16), a3 = pa.load8(24)
      x.0 = x.0.addingProduct(a0, s)
      y.0 = y.0.addingProduct(a0, t)
      x.1 = x.1.addingProduct(a1, s)
      y.1 = y.1.addingProduct(a1, t)
      x.2 = x.2.addingProduct(a2, s)
      y.2 = y.2.addingProduct(a2, t)
      x.3 = x.3.addingProduct(a3, s)
      y.3 = y.3.addingProduct(a3, t)
      pa += ks
      pb += ldb
    }
    c.setColumn(x.0, 0, ldc); c.setColumn(x.1, 8, ldc); c.setColumn(x.2, 16, ldc); c.setColumn(x.3, 24, ldc)
    d.setColumn(y.0, 0, ldc); d.setColumn(y.1, 8, ldc); d.setColumn(y.2, 16, ldc); d.setColumn(y.3, 24, ldc)
  }

  /// 8 rows × one column with A stored transposed.
  @inline(__always)
  static func columnOf8(
    _ k: Int, _ a: UnsafePointer<Float>, _ ks: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    var x = resume ? c.column(0, ldc) : Lanes()
    var pa = a
    var pb = b
    for _ in 0..<k {
      x = x.addingProduct(pa.load8(0), Lanes(repeating: pb.pointee))
      pa += ks
      pb += ldb
    }
    c.setColumn(x, 0, ldc)
  }

  /// 8 rows × one column with A stored row by row: eight scalar chains side by side
  /// (A's rows are not contiguous across rows, so the chains cannot share a vector).
  @inline(__always)
  static func scalarRows8(
    _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    let x = resume ? c.column(0, ldc) : Lanes()
    var (x0, x1, x2, x3, x4, x5, x6, x7) = (x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
    let (a0, a1, a2, a3) = (a, a + rs, a + 2 &* rs, a + 3 &* rs)
    let (a4, a5, a6, a7) = (a + 4 &* rs, a + 5 &* rs, a + 6 &* rs, a + 7 &* rs)
    var pb = b
    for p in 0..<k {
      let s = pb[0]
      x0 = x0.addingProduct(a0[p], s)
      x1 = x1.addingProduct(a1[p], s)
      x2 = x2.addingProduct(a2[p], s)
      x3 = x3.addingProduct(a3[p], s)
      x4 = x4.addingProduct(a4[p], s)
      x5 = x5.addingProduct(a5[p], s)
      x6 = x6.addingProduct(a6[p], s)
      x7 = x7.addingProduct(a7[p], s)
      pb += ldb
    }
    c.setColumn(Lanes(x0, x1, x2, x3, x4, x5, x6, x7), 0, ldc)
  }

  #if ENGINE_AVX2
    /// Rows `0..<8` × inner steps `0..<8` of A (row stride `rs`), transposed: vector q
    /// holds inner step q of the eight rows. Three rounds of shuffles (pairs of floats,
    /// pairs of pairs, then 128-bit halves).
    @inline(__always)
    static func transposed8(_ a: UnsafePointer<Float>, _ rs: Int)
      -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes)
    {
      let r0 = a.load8(0), r1 = a.load8(rs), r2 = a.load8(2 &* rs), r3 = a.load8(3 &* rs)
      let r4 = a.load8(4 &* rs), r5 = a.load8(5 &* rs), r6 = a.load8(6 &* rs), r7 = a.load8(7 &* rs)
      let t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1)
      let t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3)
      let t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5)
      let t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7)
      @inline(__always) func low(_ x: Lanes, _ y: Lanes) -> Lanes {
        _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(x), _mm256_castps_pd(y)))
      }
      @inline(__always) func high(_ x: Lanes, _ y: Lanes) -> Lanes {
        _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(x), _mm256_castps_pd(y)))
      }
      let u0 = low(t0, t2), u1 = high(t0, t2), u2 = low(t1, t3), u3 = high(t1, t3)
      let u4 = low(t4, t6), u5 = high(t4, t6), u6 = low(t5, t7), u7 = high(t5, t7)
      return (
        Lanes(lowHalf: u0.lowHalf, highHalf: u4.lowHalf), Lanes(lowHalf: u1.lowHalf, highHalf: u5.lowHalf),
        Lanes(lowHalf: u2.lowHalf, highHalf: u6.lowHalf), Lanes(lowHalf: u3.lowHalf, highHalf: u7.lowHalf),
        Lanes(lowHalf: u0.highHalf, highHalf: u4.highHalf), Lanes(lowHalf: u1.highHalf, highHalf: u5.highHalf),
        Lanes(lowHalf: u2.highHalf, highHalf: u6.highHalf), Lanes(lowHalf: u3.highHalf, highHalf: u7.highHalf)
      )
    }

    /// Eight steps of the chains `x` (and `y` with `pair`) of one 8-row group, from
    /// the inner step `p`: `s` and `t` are the group's broadcast columns of B.
    @inline(__always)
    static func transposedStep(
      _ a: UnsafePointer<Float>, _ rs: Int, _ p: Int, _ s: UnsafePointer<Lanes>, _ t: UnsafePointer<Lanes>,
      _ x: inout Lanes, _ y: inout Lanes, pair: Bool
    ) {
      let (v0, v1, v2, v3, v4, v5, v6, v7) = transposed8(a + p, rs)
      x = x.addingProduct(v0, s[p]).addingProduct(v1, s[p &+ 1]).addingProduct(v2, s[p &+ 2])
        .addingProduct(v3, s[p &+ 3]).addingProduct(v4, s[p &+ 4]).addingProduct(v5, s[p &+ 5])
        .addingProduct(v6, s[p &+ 6]).addingProduct(v7, s[p &+ 7])
      if pair {
        y = y.addingProduct(v0, t[p]).addingProduct(v1, t[p &+ 1]).addingProduct(v2, t[p &+ 2])
          .addingProduct(v3, t[p &+ 3]).addingProduct(v4, t[p &+ 4]).addingProduct(v5, t[p &+ 5])
          .addingProduct(v6, t[p &+ 6]).addingProduct(v7, t[p &+ 7])
      }
    }

    /// 16 rows × one column (two with `pair`), A stored row by row, k a multiple of 8:
    /// two groups of 8 rows, each with its own chains and copy of B (see
    /// `Operands.transposedRows`), so that two or four chains are in flight.
    @inline(__always)
    static func transposedRows16(
      _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ splat: UnsafePointer<Lanes>,
      _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool, pair: Bool
    ) {
      let width = pair ? 2 : 1
      let (s0, t0) = (splat, splat + k)
      let (s1, t1) = (splat + width &* k, splat + (width &+ 1) &* k)
      let a1 = a + 8 &* rs
      var x0 = resume ? c.column(0, ldc) : Lanes(), x1 = resume ? c.column(8, ldc) : Lanes()
      var y0 = pair && resume ? (c + 1).column(0, ldc) : Lanes()
      var y1 = pair && resume ? (c + 1).column(8, ldc) : Lanes()
      var p = 0
      while p < k {
        transposedStep(a, rs, p, s0, t0, &x0, &y0, pair: pair)
        transposedStep(a1, rs, p, s1, t1, &x1, &y1, pair: pair)
        p &+= 8
      }
      c.setColumn(x0, 0, ldc)
      c.setColumn(x1, 8, ldc)
      if pair {
        (c + 1).setColumn(y0, 0, ldc)
        (c + 1).setColumn(y1, 8, ldc)
      }
    }

    /// 8 rows × one column (two with `pair`): one group of ``transposedRows16``.
    @inline(__always)
    static func transposedRows8(
      _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ splat: UnsafePointer<Lanes>,
      _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool, pair: Bool
    ) {
      var x = resume ? c.column(0, ldc) : Lanes()
      var y = pair && resume ? (c + 1).column(0, ldc) : Lanes()
      var p = 0
      while p < k {
        transposedStep(a, rs, p, splat, splat + k, &x, &y, pair: pair)
        p &+= 8
      }
      c.setColumn(x, 0, ldc)
      if pair { (c + 1).setColumn(y, 0, ldc) }
    }
  #endif

  /// 4 rows × two columns with A stored row by row: eight scalar chains, each load
  /// of A serving both columns.
  @inline(__always)
  static func scalarRows4Pair(
    _ k: Int, _ a: UnsafePointer<Float>, _ rs: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ resume: Bool
  ) {
    let (c0, c1, c2, c3) = (c, c + ldc, c + 2 &* ldc, c + 3 &* ldc)
    var (x0, y0, x1, y1): (Float, Float, Float, Float) = resume ? (c0[0], c0[1], c1[0], c1[1]) : (0, 0, 0, 0)
    var (x2, y2, x3, y3): (Float, Float, Float, Float) = resume ? (c2[0], c2[1], c3[0], c3[1]) : (0, 0, 0, 0)
    let (a0, a1, a2, a3) = (a, a + rs, a + 2 &* rs, a + 3 &* rs)
    var pb = b
    for p in 0..<k {
      let (s, t) = (pb[0], pb[1])
      let (v0, v1, v2, v3) = (a0[p], a1[p], a2[p], a3[p])
      x0 = x0.addingProduct(v0, s)
      y0 = y0.addingProduct(v0, t)
      x1 = x1.addingProduct(v1, s)
      y1 = y1.addingProduct(v1, t)
      x2 = x2.addingProduct(v2, s)
      y2 = y2.addingProduct(v2, t)
      x3 = x3.addingProduct(v3, s)
      y3 = y3.addingProduct(v3, t)
      pb += ldb
    }
    (c0[0], c0[1], c1[0], c1[1]) = (x0, y0, x1, y1)
    (c2[0], c2[1], c3[0], c3[1]) = (x2, y2, x3, y3)
  }
}

extension UnsafePointer where Pointee == Float {
  /// The eight floats at `offset` (no alignment needed).
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes {
    UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self)
  }
}

extension UnsafeMutablePointer where Pointee == Float {
  /// The eight floats at `offset` (no alignment needed).
  @inline(__always)
  fileprivate func load8(_ offset: Int) -> Lanes {
    UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self)
  }

  /// Writes eight floats at `offset` (no alignment needed).
  @inline(__always)
  fileprivate func store8(_ value: Lanes, _ offset: Int) {
    UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Lanes.self)
  }

  /// Eight elements of one column, rows `row..<row+8` (row stride `ldc`).
  @inline(__always)
  fileprivate func column(_ row: Int, _ ldc: Int) -> Lanes {
    var v = Lanes()
    for r in 0..<8 { v[r] = self[(row &+ r) &* ldc] }
    return v
  }

  /// Writes eight elements of one column.
  @inline(__always)
  fileprivate func setColumn(_ v: Lanes, _ row: Int, _ ldc: Int) {
    for r in 0..<8 { self[(row &+ r) &* ldc] = v[r] }
  }
}
