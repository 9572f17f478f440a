import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// Walks every complaint's history in id order, a batch at a time, recomputing each hash.
    public func verifyHistory() async throws -> HistoryVerification {
        var report = HistoryVerification(complaintsChecked: 0, eventsChecked: 0, firstBreak: nil)
        var position = ""
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
            // The batch's events in one ordered read, not one query per complaint (a million round trips at 1 M).
            let events = try await database.read { db in
                try await db.raw(
                    """
                    SELECT c.id AS complaint_id, \(unsafeRaw: HistoryRow.selected(["body", "hash"]))
                    FROM complaints AS c JOIN complaint_events AS e ON \(unsafeRaw: HistoryKey.joined)
                    \(unsafeRaw: HistoryActors.joined)
                    WHERE c.id >= \(bind: first.id) AND c.id <= \(bind: last.id)
                    ORDER BY c.id, e.sequence
                    """
                ).all().map {
                    (
                        complaint: try $0.decode(column: "complaint_id", as: String.self),
                        event: StoredEvent(
                            sequence: try $0.decode(column: "sequence", as: Int.self),
                            // A body of neither stored shape cannot be what was hashed.
                            body: try? HistoryRow.body(of: $0),
                            hash: try HistoryRow.hash(of: $0))
                    )
                }
            }
            let byComplaint = Dictionary(grouping: events, by: \.complaint).mapValues { $0.map(\.event) }
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

    /// One stored event as the chain check reads it.
    private struct StoredEvent {
        var sequence: Int
        var body: String?
        var hash: String
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
                HistoryChain.hash(previous: previous, complaintID: complaint.id, sequence: row.sequence, body: body)
                    == row.hash
            else { return broken("its content does not match its hash") }
            previous = row.hash
        }
        if rows.count != complaint.version {
            return HistoryBreak(
                complaintNumber: complaint.number, sequence: rows.count + 1,
                reason: "the complaint is at version \(complaint.version) but its history has \(rows.count) events")
        }
        return nil
    }
}
