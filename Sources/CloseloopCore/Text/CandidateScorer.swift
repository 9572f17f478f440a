import Foundation

/// Scores many texts against one query fast, for the similar-complaint lookup: the collection's IDF of every Han
/// term is kept by its numeric key (`TextTerms.hanKey`), so reading a candidate makes no strings and hashes integers.
/// The scores are `TermStatistics.cosine(_:_:)`'s; build one per model and reuse it.
public struct CandidateScorer: Sendable {
    public let statistics: TermStatistics
    private let hanIDF: [UInt64: Double]
    /// The IDF of a term the collection never saw.
    private let unseenIDF: Double

    public init(statistics: TermStatistics) {
        self.statistics = statistics
        var table: [UInt64: Double] = [:]
        table.reserveCapacity(statistics.frequencies.count)
        for term in statistics.frequencies.keys {
            if let key = TextTerms.hanKey(of: term) { table[key] = statistics.idf(term) }
        }
        hanIDF = table
        unseenIDF = statistics.idf("")
    }

    /// A query vector split the way candidates are read.
    public struct Query: Sendable {
        let han: [UInt64: Double]
        let words: [String: Double]
    }

    public func query(_ vector: TermVector) -> Query {
        var han: [UInt64: Double] = [:]
        var words: [String: Double] = [:]
        for (term, weight) in vector.weights {
            if let key = TextTerms.hanKey(of: term) { han[key] = weight } else { words[term] = weight }
        }
        return Query(han: han, words: words)
    }

    /// The cosine of `query` and `text`.
    public func cosine(_ query: Query, _ text: String) -> Double {
        var han: [UInt64: Int] = [:]
        var words: [String: Int] = [:]
        TextTerms.forEachTerm(in: text, han: { han[$0, default: 0] += 1 }, word: { words[$0, default: 0] += 1 })
        var squares = 0.0
        var dot = 0.0
        for (key, count) in han {
            let weight = Self.frequencyWeight(count) * (hanIDF[key] ?? unseenIDF)
            squares += weight * weight
            if let match = query.han[key] { dot += match * weight }
        }
        for (term, count) in words {
            let weight = Self.frequencyWeight(count) * statistics.idf(term)
            squares += weight * weight
            if let match = query.words[term] { dot += match * weight }
        }
        guard squares > 0 else { return 0 }
        return min(max(dot / squares.squareRoot(), 0), 1)
    }

    /// Log-scaled term frequency, as `TermStatistics.vector` weighs it.
    static func frequencyWeight(_ count: Int) -> Double { count == 1 ? 1 : 1 + log(Double(count)) }
}
