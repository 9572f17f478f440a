import CloseloopCore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

@testable import CloseloopStore

/// Migration 36 keeps each actor of the history once and has every row name its actor by number; what was hashed
/// still verifies and reads the same, whatever the actor's name holds.
@Suite("History actors (migration 36)")
struct HistoryActorsMigrationTests {
    typealias F = StoreFixtures

    /// Names whose JSON escapes: a quote and a backslash inside, a slash, a backslash at the very end (`"张\\"`),
    /// and one holding the text that follows a name.
    static let names = [#"王"小\明"#, "客服/李", #"张\"#, #"},"at":1,"change":{"data":"#, "李娜"]

    /// Complaints as the store writes them, their notes by staff under the names above.
    func complaints(_ kind: DatabaseKind) async throws -> [(record: ComplaintRecord, history: [ComplaintEvent])] {
        try await withStore(kind) { source in
            let desk = ComplaintDesk(store: source)
            var made: [(ComplaintRecord, [ComplaintEvent])] = []
            for (index, name) in Self.names.enumerated() {
                let received = F.mondayMorning.addingTimeInterval(Double(index) * 3_600)
                let id = try await desk.receive(F.intake(subject: "投诉 \(index)"), at: received).record.complaint.id
                try await desk.validate(id, at: received.addingTimeInterval(60))
                let staff = StaffMember(id: UserID("staff-\(index)"), displayName: name, grants: F.agent.grants)
                try await desk.perform(
                    .addNote(text: "跟进 \(index)", isInternal: true), on: id, by: .staff(staff),
                    at: received.addingTimeInterval(600))
                made.append((try #require(try await source.record(id: id)), try await source.history(of: id)))
            }
            return made
        }
    }

    /// Writes `history` as migrations 34 and 35 kept it: the actor's kind as a letter and id as columns, and a
    /// compact body made of the actor's name (JSON) and the packed data; `whole` names the events kept whole.
    func writeRows(
        _ record: ComplaintRecord, _ history: [ComplaintEvent], sequence: Int, whole: Set<Int>, into store: SQLStore
    ) async throws {
        try await store.database.transaction { db in
            try await SQLStore.insertRow(
                record, document: try StoreCoding.encode(record), columns: SQLStore.columns(of: record), year: 2026,
                sequence: sequence, on: db)
            var previous = HistoryChain.genesis
            for event in history {
                let body = try StoreCoding.encode(event)
                let hash = HistoryChain.hash(
                    previous: previous, complaintID: record.complaint.id.rawValue, sequence: event.sequence, body: body)
                let split = try #require(StoredEventBody.split(body, HistoryRow.bodyColumns(of: event)))
                let stored =
                    whole.contains(event.sequence) ? body : try StoreCoding.encode(event.actor.name) + split.data
                try await db.raw(
                    """
                    INSERT INTO complaint_events
                        (number_year, number_sequence, sequence, at, actor_kind, actor_id, type, body, hash)
                    VALUES (2026, \(bind: sequence), \(bind: event.sequence), \(bind: Timestamp.milliseconds(event.at)),
                        \(bind: HistoryCodes.actorKinds.stored(event.actor.kind.rawValue)),
                        \(bind: event.actor.userID?.rawValue), \(bind: HistoryCodes.types.stored(event.change.type)),
                        \(bind: stored), \(bind: HistoryChain.stored(hash)))
                    """
                ).run()
                previous = hash
            }
        }
    }

    @Test("histories written before verify, read and grow the same after it", arguments: DatabaseKind.available)
    func historiesMigrate(kind: DatabaseKind) async throws {
        let made = try await complaints(kind)
        try await withStore(kind, migrated: false) { store in
            try await Migrator(database: store.database, migrations: Migrations.all.filter { $0.number < 36 })
                .migrate()
            for (index, complaint) in made.enumerated() {
                try await writeRows(
                    complaint.record, complaint.history, sequence: index + 1, whole: index == 0 ? [2] : [],
                    into: store)
            }
            #expect(try await store.migrate() == Migrations.all.map(\.number).filter { $0 >= 36 })
            let report = try await store.verifyHistory()
            #expect(report.isIntact)
            #expect(report.eventsChecked == made.map(\.history.count).reduce(0, +))
            for complaint in made {
                #expect(try await store.history(of: complaint.record.complaint.id) == complaint.history)
            }

            // Each actor once: the system or agent who received and validated, and a member of staff per name.
            let actors = try await store.database.read { db in
                try await db.raw("SELECT actor FROM history_actors").all().map {
                    try $0.decode(column: "actor", as: String.self)
                }
            }
            let expected = Set(try made.flatMap { try $0.history.map { try StoreCoding.encode($0.actor) } })
            #expect(Set(actors) == expected && actors.count == expected.count)
            // Only the body kept whole names no actor; every other row keeps the packed data alone, no name before it.
            let rows = try await store.database.read { db in
                try await db.raw("SELECT actor, body FROM complaint_events").all().map {
                    (
                        actor: try $0.decode(column: "actor", as: Int?.self),
                        body: try $0.decode(column: "body", as: String.self)
                    )
                }
            }
            #expect(rows.filter { $0.actor == nil }.count == 1)
            #expect(rows.allSatisfy { $0.actor == nil || !$0.body.hasPrefix("\"") && !$0.body.hasPrefix("{\"actor") })

            // New events by the same actors reuse their numbers, and the chain goes on.
            let desk = ComplaintDesk(store: store)
            let staff = StaffMember(id: UserID("staff-0"), displayName: Self.names[0], grants: F.agent.grants)
            try await desk.perform(
                .addNote(text: "迁移之后", isInternal: true), on: made[0].record.complaint.id, by: .staff(staff),
                at: F.mondayMorning.addingTimeInterval(7_200))
            #expect(try await store.count("history_actors") == expected.count)
            #expect(try await store.verifyHistory().isIntact)
            await #expect(throws: (any Error).self) { try await store.execute("DELETE FROM history_actors") }
            await #expect(throws: (any Error).self) {
                try await store.execute("UPDATE history_actors SET actor = '{}'")
            }
        }
    }

    @Test("a new store names each actor once, across events and complaints", arguments: DatabaseKind.available)
    func actorsKeptOnce(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            for index in 0..<3 {
                let id = try await desk.receive(F.intake(subject: "投诉 \(index)"), at: F.mondayMorning).record.complaint
                    .id
                try await desk.validate(id, at: F.mondayMorning.addingTimeInterval(60))
                try await desk.note(id, "跟进", at: F.mondayMorning.addingTimeInterval(120))
            }
            let named = try await store.database.read { db in
                try await db.raw(
                    "SELECT COUNT(DISTINCT actor) AS n, COUNT(*) AS rows FROM complaint_events WHERE actor IS NOT NULL"
                )
                .first()
            }
            #expect(try named?.decode(column: "rows", as: Int.self) == 12)
            #expect(try named?.decode(column: "n", as: Int.self) == (try await store.count("history_actors")))
            #expect(try await store.verifyHistory().isIntact)
        }
    }

    @Test(
        "a received event's row leaves the customer's text to the complaint, and reads and verifies whole",
        arguments: DatabaseKind.available)
    func receivedTextOnce(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let intake = F.intake(subject: #"床垫"塌陷" 要求退货"#, description: "用了两周就塌陷，\\客服不回。")
            let id = try await desk.receive(intake, at: F.mondayMorning).record.complaint.id
            try await desk.validate(id, at: F.mondayMorning.addingTimeInterval(60))
            let body = try await store.database.read { db in
                try await db.raw("SELECT body FROM complaint_events WHERE \(historyOf: id) AND sequence = 1").first()?
                    .decode(column: "body", as: String.self)
            }
            #expect(body.map { !$0.contains("塌陷") && !$0.contains("客服不回") } == true)
            let history = try await store.history(of: id)
            guard case .received(let received) = history.first?.change else {
                Issue.record("no received event")
                return
            }
            #expect(received.intake.subject == intake.subject && received.intake.description == intake.description)
            #expect(try await store.verifyHistory().isIntact)
        }
    }
}
