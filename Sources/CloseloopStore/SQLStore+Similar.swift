import CloseloopCore
import Foundation
import SQLKit

/// A complaint that shares a telling term with another, as the similarity lookup reads it to score.
public struct SimilarCandidate: Hashable, Sendable {
    public var id: ComplaintID
    public var number: String
    public var subject: String
    public var description: String
    public var state: ComplaintState
    public var receivedAt: Date
    /// The customer's phone as stored (`PhoneKey.normalized`) and email (lowercased), to tell the same customer.
    public var customerPhone: String?
    public var customerEmail: String?
    /// The incident it belongs to.
    public var incident: String?
}

/// Which complaints a similarity lookup considers.
public enum SimilarWindow: Sendable {
    /// Those still open, and the closed ones received since the date.
    case openOrSince(Date)
    /// Those received in the range, open or not (a burst's window).
    case received(from: Date, to: Date)
}

extension SQLStore {
    /// The complaints still open or received since `since` that hold any of `terms` (two-character Chinese terms
    /// through the bigram index, longer ones through the trigram index), newest first. The caller passes a text's
    /// rarest terms, whose matches are few, and scores what comes back.
    public func similarCandidates(
        anyOf terms: [String], in window: SimilarWindow, excluding: ComplaintID?, limit: Int
    ) async throws -> [SimilarCandidate] {
        let usable = terms.filter(SearchTerms.isIndexable)
        guard !usable.isEmpty else { return [] }
        let received: ClosedRange<Int64>? =
            switch window {
            case .openOrSince: nil
            case .received(let from, let to):
                Timestamp.milliseconds(from)...max(Timestamp.milliseconds(from), Timestamp.milliseconds(to))
            }
        let matches = textSearch.anyTermPredicate(for: usable, received: received)
        let closed = [ComplaintState.closed, .archived].map { SQLBind($0.rawValue) }
        return try await database.read { db in
            try await db.select()
                .columns(Self.candidateColumns)
                .from("complaints")
                .where(SQLGroupExpression(matches))
                .where { group in
                    switch window {
                    case .openOrSince(let since):
                        group.where("received_at", .greaterThanOrEqual, Timestamp.milliseconds(since))
                            .orWhere(SQLColumn("state"), .notIn, SQLGroupExpression(SQLList(closed)))
                    case .received(let from, let to):
                        group.where("received_at", .greaterThanOrEqual, Timestamp.milliseconds(from))
                            .where("received_at", .lessThanOrEqual, Timestamp.milliseconds(to))
                    }
                }
                .where("id", .notEqual, excluding?.rawValue ?? "")
                .orderBy("received_at", .descending)
                .limit(limit)
                .all()
                .map(Self.decodeCandidate)
        }
    }
}

extension SQLStore {
    /// The complaints received after `after` (up to `limit`, oldest first): what the burst watcher has not looked at.
    public func complaintsReceived(after: Date, limit: Int) async throws -> [SimilarCandidate] {
        try await database.read { db in
            try await db.select()
                .columns(Self.candidateColumns)
                .from("complaints")
                .where("received_at", .greaterThan, Timestamp.milliseconds(after))
                .orderBy("received_at", .ascending)
                .limit(limit)
                .all()
                .map(Self.decodeCandidate)
        }
    }

    static let candidateColumns = [
        "id", "number", "subject", "description", "state", "received_at", "customer_phone", "customer_email",
        "incident",
    ]

    static func decodeCandidate(_ row: any SQLRow) throws -> SimilarCandidate {
        SimilarCandidate(
            id: ComplaintID(try row.decode(column: "id", as: String.self)),
            number: try row.decode(column: "number", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            state: ComplaintState(rawValue: try row.decode(column: "state", as: String.self)) ?? .received,
            receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)),
            customerPhone: try row.decode(column: "customer_phone", as: String?.self),
            customerEmail: try row.decode(column: "customer_email", as: String?.self),
            incident: try row.decode(column: "incident", as: String?.self))
    }
}
