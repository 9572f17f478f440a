import CloseloopCore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

@testable import CloseloopStore

/// Migration 34 rewrites every history row in the compact form; what was hashed before still verifies, reads the
/// same, and takes new events after it.
@Suite("History compaction (migration 34)")
struct HistoryCompactionTests {
    typealias F = StoreFixtures

    /// Complaints with their histories as the store writes them today, made on a store of `kind`.
    func complaints(_ kind: DatabaseKind) async throws -> [(record: ComplaintRecord, history: [ComplaintEvent])] {
        try await withStore(kind) { source in
            let desk = ComplaintDesk(store: source)
            var made: [(ComplaintRecord, [ComplaintEvent])] = []
            for index in 0..<3 {
                let received = F.mondayMorning.addingTimeInterval(Double(index) * 3_600)
                let id = try await desk.receive(F.intake(subject: "投诉 \(index)"), at: received).record.complaint.id
                try await desk.validate(id, at: received.addingTimeInterval(60))
                try await desk.note(id, "跟进 \"\(index)\" \\ 完", at: received.addingTimeInterval(600))
                made.append((try #require(try await source.record(id: id)), try await source.history(of: id)))
            }
            return made
        }
    }

    /// Writes `history` as migrations 1–33 kept it: the whole body, the previous hash, both in hex.
    func writeOldRows(
        _ record: ComplaintRecord, _ history: [ComplaintEvent], bodies: [String], sequence: Int, into store: SQLStore
    ) async throws {
        try await store.database.transaction { db in
            try await SQLStore.insertRow(
                record, document: try StoreCoding.encode(record), columns: SQLStore.columns(of: record), year: 2026,
                sequence: sequence, on: db)
            var previous = HistoryChain.genesis
            for (event, body) in zip(history, bodies) {
                let hash = HistoryChain.hash(
                    previous: previous, complaintID: record.complaint.id.rawValue, sequence: event.sequence, body: body)
                try await db.raw(
                    """
                    INSERT INTO complaint_events
                        (complaint_id, sequence, at, actor_kind, actor_id, type, body, previous_hash, hash)
                    VALUES (\(bind: record.complaint.id.rawValue), \(bind: event.sequence),
                        \(bind: Timestamp.milliseconds(event.at)), \(bind: event.actor.kind.rawValue),
                        \(bind: event.actor.userID?.rawValue), \(bind: event.change.type), \(bind: body),
                        \(bind: previous), \(bind: hash))
                    """
                ).run()
                previous = hash
            }
        }
    }

    @Test("histories written before verify, read and grow the same after it", arguments: DatabaseKind.available)
    func oldHistoriesMigrate(kind: DatabaseKind) async throws {
        var made = try await complaints(kind)
        // One actor whose name JSON escapes, and one body of a shape no encoder of ours wrote (kept whole, as hashed).
        made[1].history[0].actor.name = #"王"小\明"#
        var bodies = try made.map { try $0.history.map(StoreCoding.encode) }
        bodies[2][1] = bodies[2][1].replacingOccurrences(of: #""at":"#, with: #""at": "#)

        try await withStore(kind, migrated: false) { store in
            try await Migrator(database: store.database, migrations: Migrations.all.filter { $0.number < 34 })
                .migrate()
            for (index, complaint) in made.enumerated() {
                try await writeOldRows(
                    complaint.record, complaint.history, bodies: bodies[index], sequence: index + 1, into: store)
            }
            #expect(try await store.migrate() == Migrations.all.map(\.number).filter { $0 >= 34 })
            let report = try await store.verifyHistory()
            #expect(report.isIntact)
            #expect(report.eventsChecked == made.map(\.history.count).reduce(0, +))
            for complaint in made {
                #expect(try await store.history(of: complaint.record.complaint.id) == complaint.history)
            }
            // Every body but the escaped name's and the odd one's is compact (and, since migration 36, names its actor).
            let whole = try await store.database.read { db in
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM complaint_events WHERE substr(body, 1, 1) = '{' AND actor IS NULL"
                ).first()?.decode(column: "n", as: Int.self)
            }
            #expect(whole == 2)
            // The others are stored as a new write stores them, the data's tokens as their codes.
            var tokenized = 0
            for (index, complaint) in made.enumerated() {
                let id = complaint.record.complaint.id
                let rows = try await store.database.read { db in
                    try await db.raw("SELECT body FROM complaint_events WHERE \(historyOf: id) ORDER BY sequence")
                        .all().map { try $0.decode(column: "body", as: String.self) }
                }
                for (event, (body, row)) in zip(complaint.history, zip(bodies[index], rows)) where row != body {
                    #expect(row == StoredEventBody.split(body, HistoryRow.bodyColumns(of: event))?.data)
                    if row.utf8.contains(where: { $0 < 0x20 }) { tokenized += 1 }
                }
            }
            #expect(tokenized > 0)
            // Every type is kept as its letter, and read back as its name (the histories read above).
            let kept = try await store.database.read { db in
                try await db.raw("SELECT DISTINCT type FROM complaint_events").all().map {
                    try $0.decode(column: "type", as: String.self)
                }
            }
            #expect(!kept.isEmpty && kept.allSatisfy { $0.count == 1 }, "\(kept)")

            // The chain goes on from the migrated hashes, and the history stays append-only.
            let desk = ComplaintDesk(store: store)
            let id = made[0].record.complaint.id
            try await desk.note(id, "迁移之后", at: F.mondayMorning.addingTimeInterval(7_200))
            #expect(try await store.verifyHistory().isIntact)
            await #expect(throws: (any Error).self) {
                try await store.execute("DELETE FROM complaint_events WHERE \(historyOf: id)")
            }
        }
    }
}
