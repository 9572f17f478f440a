import Foundation

/// How many documents of a collection hold each term: what makes a term telling (退款 in one complaint of ten
/// thousand says more than 的 in every one). Weighs a text's terms as TF-IDF, scaled to unit length, so two texts
/// compare by the cosine of their vectors whatever their lengths.
public struct TermStatistics: Hashable, Codable, Sendable {
    public private(set) var documents: Int
    public private(set) var frequencies: [String: Int]

    public init(documents: Int = 0, frequencies: [String: Int] = [:]) {
        self.documents = documents
        self.frequencies = frequencies
    }

    /// Counts one more document with these terms.
    public mutating func add(_ counts: [String: Int]) {
        documents += 1
        for term in counts.keys { frequencies[term, default: 0] += 1 }
    }

    /// The inverse document frequency, smoothed so a term never seen counts as the rarest.
    public func idf(_ term: String) -> Double {
        log(Double(documents + 1) / Double((frequencies[term] ?? 0) + 1)) + 1
    }

    /// The text's terms weighted by log-scaled frequency times IDF, scaled to length 1. Summed in the dictionary's
    /// order, so the last bit may differ between processes: fine for comparing scores. Training sums in the terms'
    /// order instead (`TextClassifier`), so that a model trained twice is the same model.
    public func vector(_ counts: [String: Int]) -> TermVector {
        var weights: [String: Double] = [:]
        weights.reserveCapacity(counts.count)
        var squares = 0.0
        for (term, count) in counts {
            let weight = (1 + log(Double(count))) * idf(term)
            weights[term] = weight
            squares += weight * weight
        }
        let length = squares.squareRoot()
        if length > 0 { for term in weights.keys { weights[term]! /= length } }
        return TermVector(weights: weights)
    }

    /// The cosine of `query` (a vector of this collection) and the text with `counts`, as
    /// `query.cosine(vector(counts))` without building the text's vector: one pass over its terms, for scoring many
    /// candidates against one text.
    public func cosine(_ query: TermVector, _ counts: [String: Int]) -> Double {
        var squares = 0.0
        var dot = 0.0
        for (term, count) in counts {
            // Most terms occur once, whose log-scaled frequency is 1.
            let weight = (count == 1 ? 1 : 1 + log(Double(count))) * idf(term)
            squares += weight * weight
            if let match = query.weights[term] { dot += match * weight }
        }
        guard squares > 0 else { return 0 }
        return min(max(dot / squares.squareRoot(), 0), 1)
    }
}

/// A text as unit-length term weights.
public struct TermVector: Hashable, Sendable {
    public var weights: [String: Double]

    /// The cosine of the two texts: 1 for the same terms in the same proportions, 0 for nothing in common.
    public func cosine(_ other: TermVector) -> Double {
        let (small, large) = weights.count <= other.weights.count ? (weights, other.weights) : (other.weights, weights)
        var sum = 0.0
        for (term, weight) in small { if let match = large[term] { sum += weight * match } }
        return min(max(sum, 0), 1)
    }
}
