/// Where grouped bars sit on a categorical axis: category `i` is centred at x = i, its
/// bars share a group `groupWidth` wide, one equal slot per bar series.
enum BarGeometry {
  static let groupWidth = 0.8

  /// The left edge and width (data units) of bar `slot` of `count` in category `index`.
  static func slot(category index: Int, slot: Int, of count: Int) -> (left: Double, width: Double) {
    let width = groupWidth / Double(max(1, count))
    return (Double(index) - groupWidth / 2 + Double(slot) * width, width)
  }
}
