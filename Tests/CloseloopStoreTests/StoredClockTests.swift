import CloseloopCore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

@testable import CloseloopStore

/// A complaint's document keeps its clocks as short arrays and leaves the customer's text to its columns, and reads
/// documents written before (clock objects, the text inside).
@Suite("Stored clocks")
struct StoredClockTests {
    static let start = StoreFixtures.mondayMorning

    /// A clock of each shape: running, held by an open-ended pause, stopped with and without its share used.
    static let clocks = [
        ClockStatus(
            clock: .firstContact, limit: .minutes(30), basis: .working, startedAt: start,
            dueAt: start.addingTimeInterval(1_800), stoppedAt: nil),
        ClockStatus(
            clock: .resolution, limit: .days(5), basis: .calendar, startedAt: start, dueAt: nil, stoppedAt: nil),
        ClockStatus(
            clock: .firstResponse, limit: .hours(4), basis: .working, startedAt: start,
            dueAt: start.addingTimeInterval(14_400), stoppedAt: start.addingTimeInterval(600), usedPercent: 4),
        ClockStatus(
            clock: .customerUpdate, limit: .dailyAt(LocalTime(hour: 17, minute: 0)), basis: .working,
            startedAt: start, dueAt: nil, stoppedAt: start.addingTimeInterval(60)),
        ClockStatus(
            clock: .completeness, limit: .endOfDay, basis: .working, startedAt: start.addingTimeInterval(0.25),
            dueAt: start.addingTimeInterval(28_800), stoppedAt: start.addingTimeInterval(30), usedPercent: 0),
    ]

    func record(in store: SQLStore) async throws -> ComplaintRecord {
        var record = try await ComplaintDesk(store: store).receive(StoreFixtures.intake(), at: Self.start).record
        record.clocks = Self.clocks
        record.nextAlertAt = Self.start.addingTimeInterval(900)
        return record
    }

    @Test("every clock comes back as it was, each an array without its trailing nulls")
    func roundTrip() async throws {
        try await withStore(.sqlite) { store in
            let record = try await record(in: store)
            let document = try StoreCoding.encode(record)
            #expect(try StoreCoding.decode(ComplaintRecord.self, from: document) == record)
            let stored = try #require(
                try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
            let clocks = try #require(stored["clocks"] as? [[Any]])
            #expect(clocks.map(\.count) == [5, 4, 7, 6, 7])
            #expect(clocks[0][0] as? String == "first_contact" && clocks[0][1] as? String == "30m")
            #expect(clocks[1][2] as? String == "calendar")
            #expect(clocks[3][4] is NSNull && clocks[3][1] as? String == "@17:00")
            // Over 40 % of the bytes of the objects they replace (the generated complaints' clocks, every field set,
            // save nearly half).
            let before = try StoreCoding.encode(RecordWithClockObjects(record))
            let objects = try StoreCoding.encode(Self.clocks).utf8.count
            #expect(Double(before.utf8.count - document.utf8.count) > 0.4 * Double(objects))
        }
    }

    @Test(
        "the document leaves the customer's subject and description to their columns, and the record has them",
        arguments: DatabaseKind.available)
    func textInColumnsOnly(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let intake = StoreFixtures.intake(subject: "冰箱门关不严，冷藏室结霜", description: "用了三个月，门封条变形，每天都要除霜")
            let received = try await desk.receive(intake, at: Self.start).record
            let noted = try await desk.note(received.complaint.id, "已联系售后", at: Self.start.addingTimeInterval(60))
            let stored = try await store.database.read { db in
                try await db.raw("SELECT document FROM complaints WHERE id = \(bind: received.complaint.id.rawValue)")
                    .first()?.decode(column: "document", as: String.self)
            }
            let document = try #require(stored)
            #expect(!document.contains("冰箱门") && !document.contains("门封条"))
            for reader in [store, SQLStore(database: store.database)] {
                let record = try #require(try await reader.record(id: received.complaint.id))
                #expect(record == noted)
                #expect(record.complaint.intake.subject == intake.subject)
                #expect(record.complaint.intake.description == intake.description)
                #expect(try await reader.list(ComplaintQuery()).records == [noted])
            }
        }
    }

    @Test(
        "a document written with clock objects reads the same, through the store too", arguments: DatabaseKind.available
    )
    func objectsStillRead(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let record = try await record(in: store)
            let before = try StoreCoding.encode(RecordWithClockObjects(record))
            #expect(before.contains(#""clock":"first_contact""#))
            #expect(try StoreCoding.decode(ComplaintRecord.self, from: before) == record)

            let received = try #require(try await store.record(id: record.complaint.id))
            try await store.storeClocksAsObjects()
            // Another store value, which has not decoded the row yet (a restarted server).
            let restarted = SQLStore(database: store.database)
            #expect(try await restarted.record(id: record.complaint.id) == received)
        }
    }
}
