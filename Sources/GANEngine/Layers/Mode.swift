/// Whether a layer runs in training or inference mode. Passed explicitly at every
/// call: there is no global learning phase.
///
/// Only normalization by batch statistics cares: BatchNorm in `.training` normalizes
/// with the batch's own mean and variance and updates its moving statistics;
/// in `.inference` it normalizes with the moving statistics and changes nothing.
enum Mode: Sendable, Hashable {
  case training
  case inference
}
