import CloseloopCore
import CloseloopStore
import Foundation

/// The open and recent complaints most like one complaint or text (issue 14), Chinese and English alike: the rarest
/// of its terms find the candidates through the search indexes, and each is scored by the cosine of the two texts'
/// TF-IDF vectors, weighed by how common each term is among the company's complaints.
public struct SimilarComplaints: Sendable {
    /// A complaint like the one asked about, with how alike they read (0…1).
    public struct Match: Hashable, Sendable {
        public var id: ComplaintID
        public var number: String
        public var subject: String
        public var state: ComplaintState
        public var receivedAt: Date
        public var score: Double
        /// The customer's phone and email as the store keeps them, enough to tell the same customer.
        public var customer: CustomerDetails
        public var incident: String?

        public init(
            id: ComplaintID, number: String, subject: String, state: ComplaintState, receivedAt: Date, score: Double,
            customer: CustomerDetails, incident: String?
        ) {
            self.id = id
            self.number = number
            self.subject = subject
            self.state = state
            self.receivedAt = receivedAt
            self.score = score
            self.customer = customer
            self.incident = incident
        }

        init(_ candidate: SimilarCandidate, score: Double) {
            self.init(
                id: candidate.id, number: candidate.number, subject: candidate.subject, state: candidate.state,
                receivedAt: candidate.receivedAt, score: score,
                customer: CustomerDetails(name: "", phone: candidate.customerPhone, email: candidate.customerEmail),
                incident: candidate.incident)
        }
    }

    let store: SQLStore
    let suggestions: ClassificationSuggestions
    let time: any TimeSource

    /// How far back a closed complaint still counts as recent.
    public static let recentDays = 30
    /// How many of a text's rarest terms look candidates up.
    static let lookupTerms = 8
    /// How many candidates (the newest matches) are scored.
    static let candidates = 100
    /// How much of a candidate's text is read to score it: the subject and the opening of the description carry
    /// the cause; a long letter's tail costs time and changes little.
    static let scoredCharacters = 600
    /// Below this, two texts share words, not a cause.
    public static let minimumScore = 0.15

    /// The complaints most like `complaint`, best first.
    public func similar(to complaint: Complaint, limit: Int = 5) async throws -> [Match] {
        try await similar(
            toText: complaint.intake.subject + "\n" + complaint.intake.description, excluding: complaint.id,
            limit: limit)
    }

    /// The complaints most like `text`, best first, leaving out `excluding`: among the open and recent ones, or
    /// those received in `window`.
    public func similar(
        toText text: String, excluding: ComplaintID? = nil, in window: SimilarWindow? = nil, limit: Int = 5,
        minimumScore: Double = SimilarComplaints.minimumScore
    ) async throws -> [Match] {
        let scorer = await suggestions.candidateScorer()
        let statistics = scorer.statistics
        let counts = TextTerms.counts(of: text)
        let query = scorer.query(statistics.vector(counts))
        // The rarest terms an index can look up (Chinese pairs, words of three letters or more) that other
        // complaints are known to hold; a term no complaint held finds nothing, so those come last.
        let weighed: [(term: String, known: Bool, idf: Double, count: Int)] = counts.filter {
            SearchTerms.isIndexable($0.key)
        }
        .map { ($0.key, statistics.frequencies[$0.key] != nil, statistics.idf($0.key), $0.value) }
        let lookup = weighed.sorted { a, b in
            if a.known != b.known { return a.known }
            if a.idf != b.idf { return a.idf > b.idf }
            return a.count != b.count ? a.count > b.count : a.term < b.term
        }.prefix(Self.lookupTerms).map(\.term)
        let since = time.instant().addingTimeInterval(-Double(Self.recentDays) * 86_400)
        let candidates = try await store.similarCandidates(
            anyOf: lookup, in: window ?? .openOrSince(since), excluding: excluding, limit: Self.candidates)
        var matches: [Match] = []
        for candidate in candidates {
            let text = candidate.subject + "\n" + candidate.description.prefix(Self.scoredCharacters)
            let score = scorer.cosine(query, text)
            guard score >= minimumScore else { continue }
            matches.append(Match(candidate, score: score))
        }
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.receivedAt > $1.receivedAt }
        return Array(matches.prefix(limit))
    }
}
