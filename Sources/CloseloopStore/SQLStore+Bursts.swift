import CloseloopCore
import Foundation
import SQLKit

/// A group of complaints alike that arrived together, as reported.
public struct ComplaintBurst: Hashable, Sendable {
    public var id: String
    public var detectedAt: Date
    /// The complaint that completed the group.
    public var seed: ComplaintID
    /// The proposed incident's title.
    public var title: String
    /// Oldest first, the seed last.
    public var members: [ComplaintID]

    public init(id: String, detectedAt: Date, seed: ComplaintID, title: String, members: [ComplaintID]) {
        self.id = id
        self.detectedAt = detectedAt
        self.seed = seed
        self.title = title
        self.members = members
    }
}

extension SQLStore {
    /// Records a burst; false when one was already recorded for its seed (another instance was first).
    public func recordBurst(_ burst: ComplaintBurst, outbox: [OutboxMessage]) async throws -> Bool {
        try await database.transaction { db in
            let inserted =
                try await db.raw(
                    """
                    INSERT INTO complaint_bursts (id, detected_at, seed_complaint_id, title, members)
                    VALUES (\(bind: burst.id), \(bind: Timestamp.milliseconds(burst.detectedAt)), \(bind: burst.seed.rawValue),
                        \(bind: burst.title), \(bind: try StoreCoding.encode(burst.members.map(\.rawValue))))
                    ON CONFLICT (seed_complaint_id) DO NOTHING RETURNING id
                    """
                ).first() != nil
            // The alert goes with the record, in its transaction: reported once, never lost.
            if inserted { for message in outbox { try await Self.insert(message, on: db) } }
            return inserted
        }
    }

    /// The bursts detected since `since`, newest first.
    public func bursts(since: Date) async throws -> [ComplaintBurst] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT id, detected_at, seed_complaint_id, title, members FROM complaint_bursts
                WHERE detected_at >= \(bind: Timestamp.milliseconds(since)) ORDER BY detected_at DESC
                """
            ).all().map { row in
                ComplaintBurst(
                    id: try row.decode(column: "id", as: String.self),
                    detectedAt: Timestamp.date(try row.decode(column: "detected_at", as: Int64.self)),
                    seed: ComplaintID(try row.decode(column: "seed_complaint_id", as: String.self)),
                    title: try row.decode(column: "title", as: String.self),
                    members: try StoreCoding.decode(
                        [String].self, from: row.decode(column: "members", as: String.self)
                    ).map { ComplaintID($0) })
            }
        }
    }
}
