extension Duration {
  /// The duration in seconds, as a `Double` (for the times a build reports).
  var inSeconds: Double {
    Double(components.seconds) + Double(components.attoseconds) * 1e-18
  }
}
