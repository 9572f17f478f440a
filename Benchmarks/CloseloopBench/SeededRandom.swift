import CloseloopCore
import Foundation

/// SplitMix64: a small, fast generator whose output depends only on its seed, so complaint number *i* is the same
/// complaint in every run and on every database, however the load is batched.
struct SeededRandom: RandomNumberGenerator {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// A generator for item `index` of stream `seed`, independent of every other item's.
    init(seed: UInt64, index: Int) {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
        generator = SplitMix64(seed: mixer.next())
    }

    mutating func next() -> UInt64 { generator.next() }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// One of `choices`, each with its weight.
    mutating func weighted<T>(_ choices: [(T, Double)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var point = Double.random(in: 0..<total, using: &self)
        for (value, weight) in choices {
            if point < weight { return value }
            point -= weight
        }
        return choices[choices.count - 1].0
    }

    /// A duration in seconds, log-uniform between two bounds: most steps are quick, a few take long, as in real work.
    mutating func seconds(_ low: Double, _ high: Double) -> Double {
        let lower = log(low)
        let upper = log(high)
        return exp(Double.random(in: lower...upper, using: &self))
    }
}
