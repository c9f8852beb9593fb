/// A fixed-size float32 buffer with a stable address, owned by the training step:
/// parameters, gradients, optimizer moments and activations are allocated once per
/// run and reused every step, so the hot loops work on raw pointers with no
/// copy-on-write or bounds checks.
///
/// Large buffers live on huge pages where the system offers them (``HugePages``).
///
/// Not `Sendable`: a buffer belongs to one training session on one thread.
final class FloatBuffer {
  /// Number of floats.
  let count: Int
  /// The first element; valid for `count` elements while the buffer lives.
  let base: UnsafeMutablePointer<Float>
  /// Whether `base` is on huge pages (see ``HugePages/allocate(_:count:)``).
  private let onHugePages: Bool

  /// A buffer of `count` copies of `value`.
  init(count: Int, repeating value: Float = 0) {
    precondition(count >= 0, "FloatBuffer: negative count")
    self.count = count
    let slots = max(count, 1)
    (base, onHugePages) = HugePages.allocate(Float.self, count: slots)
    base.initialize(repeating: value, count: slots)
  }

  /// A buffer holding `values`.
  convenience init(_ values: [Float]) {
    self.init(count: values.count)
    copy(from: values)
  }

  deinit { HugePages.release(base, onHugePages: onHugePages) }

  /// The contents as an array.
  var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }

  /// Overwrites the contents with `values` (same count).
  func copy(from values: [Float]) {
    precondition(values.count == count, "FloatBuffer: \(values.count) values for \(count) slots")
    values.withUnsafeBufferPointer { p in
      if let source = p.baseAddress { base.update(from: source, count: count) }
    }
  }

  /// Sets every element to 0.
  func zero() {
    base.update(repeating: 0, count: count)
  }
}

/// One trainable tensor of the training step's networks: value, accumulated
/// gradient and Adam's two moments, all preallocated.
final class ParameterTensor {
  let value: FloatBuffer
  let gradient: FloatBuffer
  let firstMoment: FloatBuffer
  let secondMoment: FloatBuffer
  var count: Int { value.count }

  init(_ values: [Float]) {
    value = FloatBuffer(values)
    gradient = FloatBuffer(count: values.count)
    firstMoment = FloatBuffer(count: values.count)
    secondMoment = FloatBuffer(count: values.count)
  }
}
