import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Records are decoded once and reused while their row is unchanged; every change is seen at once, including a
/// change made through another store value over the same database (another server instance).
@Suite("Decoded records")
struct DecodedRecordsTests {
    @Test(
        "a change of version or of the next alert is read at once, also by another instance",
        arguments: DatabaseKind.available)
    func changesAreSeen(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let monday = StoreFixtures.mondayMorning
            let received = try await desk.receive(StoreFixtures.intake(), at: monday).record
            let id = received.complaint.id
            // Both instances read it, so both hold it decoded.
            let other = SQLStore(database: store.database)
            #expect(try await store.record(id: id) == received)
            #expect(try await other.record(id: id) == received)
            #expect(try await other.list(ComplaintQuery()).records == [received])

            let noted = try await desk.note(id, "客户来电催促", at: monday.addingTimeInterval(60))
            #expect(try await other.record(id: id) == noted)
            #expect(try await other.list(ComplaintQuery()).records == [noted])

            let later = monday.addingTimeInterval(7_200)
            try await store.setNextAlert(later, of: noted)
            #expect(try await other.record(id: id)?.nextAlertAt == later)
            #expect(try await other.list(ComplaintQuery()).records.first?.nextAlertAt == later)
        }
    }

    @Test("more complaints than the store keeps decoded are all read correctly", arguments: [DatabaseKind.sqlite])
    func beyondCapacity(kind: DatabaseKind) async throws {
        try await withStore(kind) { full in
            let store = SQLStore(database: full.database, keepDecoded: 8)
            let desk = ComplaintDesk(store: store)
            var written: [ComplaintRecord] = []
            for minute in 0..<30 {
                let at = StoreFixtures.mondayMorning.addingTimeInterval(Double(minute) * 60)
                written.append(try await desk.receive(StoreFixtures.intake(), at: at).record)
            }
            // Twice over, so the second pass reads some from memory and some anew.
            for _ in 0..<2 {
                for record in written { #expect(try await store.record(id: record.complaint.id) == record) }
            }
        }
    }
}
