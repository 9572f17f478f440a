import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// Walks every complaint's history in id order, a batch at a time, recomputing each hash.
    public func verifyHistory() async throws -> HistoryVerification {
        var report = HistoryVerification(complaintsChecked: 0, eventsChecked: 0, firstBreak: nil)
        var position = ""
        // The actors are read once, not joined to every row; they are only ever added, so an unknown number means
        // one added since, and the table is read again.
        var actors = try await database.read { try await HistoryActors.all(in: $0) }
        while true {
            let after = position
            let batch = try await database.read { db in
                try await db.select().columns("id", "number", "version").from("complaints")
                    .where("id", .greaterThan, after).orderBy("id").limit(500).all().map {
                        (
                            id: try $0.decode(column: "id", as: String.self),
                            number: try $0.decode(column: "number", as: String.self),
                            version: try $0.decode(column: "version", as: Int.self)
                        )
                    }
            }
            guard let last = batch.last, let first = batch.first else { return report }
            var events = try await events(from: first.id, to: last.id, actors: actors)
            if events.contains(where: \.actorUnknown) {
                actors = try await database.read { try await HistoryActors.all(in: $0) }
                events = try await self.events(from: first.id, to: last.id, actors: actors)
            }
            let byComplaint = Dictionary(grouping: events, by: \.complaint)
            for complaint in batch {
                report.complaintsChecked += 1
                let chain = byComplaint[complaint.id] ?? []
                if let broken = Self.verifyChain(chain, of: complaint, counting: &report.eventsChecked) {
                    report.firstBreak = broken
                    return report
                }
            }
            position = last.id
        }
    }

    /// The events of the complaints with ids from `first` to `last`, in one ordered read, not one query per complaint
    /// (a million round trips at 1 M).
    private func events(from first: String, to last: String, actors: [Int: [UInt8]]) async throws -> [StoredEvent] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT c.id AS complaint_id, \(unsafeRaw: HistoryRow.selectedWithActorNumber(["body", "hash"]))
                FROM complaints AS c JOIN complaint_events AS e ON \(unsafeRaw: HistoryKey.joined)
                WHERE c.id >= \(bind: first) AND c.id <= \(bind: last)
                ORDER BY c.id, e.sequence
                """
            ).all().map { row in
                var event = StoredEvent(
                    complaint: try row.decode(column: "complaint_id", as: String.self),
                    sequence: try row.decode(column: "sequence", as: Int.self), body: nil, actorUnknown: false,
                    hash: try row.decode(column: "hash", as: Data.self))
                do {
                    event.body = try HistoryRow.bodyUTF8(of: row, actors: actors)
                    event.actorUnknown = event.body == nil
                } catch {
                    // A body of neither stored shape cannot be what was hashed: left nil, it breaks the chain.
                }
                return event
            }
        }
    }

    /// One stored event as the chain check reads it.
    private struct StoredEvent {
        var complaint: String
        var sequence: Int
        var body: [UInt8]?
        /// The row names an actor the table read did not hold.
        var actorUnknown: Bool
        var hash: Data
    }

    private static func verifyChain(
        _ rows: [StoredEvent], of complaint: (id: String, number: String, version: Int), counting events: inout Int
    ) -> HistoryBreak? {
        var previous = HistoryChain.genesis
        for (index, row) in rows.enumerated() {
            events += 1
            func broken(_ reason: String) -> HistoryBreak {
                HistoryBreak(complaintNumber: complaint.number, sequence: row.sequence, reason: reason)
            }
            if row.sequence != index + 1 {
                return HistoryBreak(
                    complaintNumber: complaint.number, sequence: index + 1, reason: "this event is missing")
            }
            // Each hash covers the one before it, so an event edited together with its own hash breaks the next.
            guard let body = row.body,
                HistoryChain.matches(
                    row.hash, previous: previous, complaintID: complaint.id, sequence: row.sequence, body: body)
            else { return broken("its content does not match its hash") }
            previous = HistoryChain.hash(stored: row.hash)
        }
        if rows.count != complaint.version {
            return HistoryBreak(
                complaintNumber: complaint.number, sequence: rows.count + 1,
                reason: "the complaint is at version \(complaint.version) but its history has \(rows.count) events")
        }
        return nil
    }
}
