import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

/// The history is append-only at the database, and every event carries the hash of the one before it, so an edit
/// made behind the store's back is found by `verifyHistory()`.
@Suite("History hash chain")
struct HistoryChainTests {
    typealias F = StoreFixtures

    /// Three complaints with 4, 6 and 5 events; returns their ids in creation order.
    func seed(_ desk: ComplaintDesk) async throws -> [ComplaintID] {
        var ids: [ComplaintID] = []
        for (index, notes) in [1, 3, 2].enumerated() {
            let received = F.mondayMorning.addingTimeInterval(Double(index) * 3_600)
            let id = try await desk.receive(F.intake(subject: "投诉 \(index + 1)"), at: received).record.complaint.id
            try await desk.validate(id, at: received.addingTimeInterval(60))
            for note in 0..<notes {
                try await desk.note(id, "跟进 \(note + 1)", at: received.addingTimeInterval(Double(600 + note * 60)))
            }
            ids.append(id)
        }
        return ids
    }

    /// Drops the append-only triggers of `kind`, as someone with direct database access could.
    func dropAppendOnlyTriggers(_ store: SQLStore, _ kind: DatabaseKind) async throws {
        switch kind {
        case .sqlite:
            try await store.execute("DROP TRIGGER complaint_events_no_update")
            try await store.execute("DROP TRIGGER complaint_events_no_delete")
        case .postgres:
            try await store.execute("DROP TRIGGER complaint_events_append_only ON complaint_events")
        }
    }

    @Test("the chain is intact after several complaints with several events", arguments: DatabaseKind.available)
    func intact(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            _ = try await seed(ComplaintDesk(store: store))
            let report = try await store.verifyHistory()
            #expect(report.isIntact)
            #expect(report.firstBreak == nil)
            #expect(report.complaintsChecked == 3)
            #expect(report.eventsChecked == 15)
        }
    }

    @Test("an empty store verifies as intact", arguments: DatabaseKind.available)
    func emptyStore(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let report = try await store.verifyHistory()
            #expect(report.isIntact)
            #expect(report.complaintsChecked == 0)
            #expect(report.eventsChecked == 0)
        }
    }

    @Test("the database refuses to update or delete an event", arguments: DatabaseKind.available)
    func appendOnlyTriggersRefuseEdits(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let ids = try await seed(ComplaintDesk(store: store))
            let before = try await store.history(of: ids[1])
            await #expect(throws: (any Error).self) {
                try await store.execute(
                    """
                    UPDATE complaint_events SET body = body || ' '
                    WHERE \(historyOf: ids[1]) AND sequence = 2
                    """
                )
            }
            await #expect(throws: (any Error).self) {
                try await store.execute(
                    "DELETE FROM complaint_events WHERE \(historyOf: ids[1]) AND sequence = 5")
            }
            await #expect(throws: (any Error).self) {
                try await store.execute("DELETE FROM complaint_events")
            }
            #expect(try await store.history(of: ids[1]) == before)
            #expect(try await store.count("complaint_events") == 15)
            #expect(try await store.verifyHistory().isIntact)
        }
    }

    @Test("an edited event body breaks the chain at that complaint and event", arguments: DatabaseKind.available)
    func editedBodyIsFound(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let ids = try await seed(ComplaintDesk(store: store))
            try await dropAppendOnlyTriggers(store, kind)
            try await store.execute(
                """
                UPDATE complaint_events SET body = body || ' '
                WHERE \(historyOf: ids[1]) AND sequence = 3
                """
            )
            let number = try #require(try await store.record(id: ids[1])).complaint.number
            let report = try await store.verifyHistory()
            #expect(!report.isIntact)
            #expect(report.firstBreak?.complaintNumber == number)
            #expect(report.firstBreak?.sequence == 3)
            #expect(report.firstBreak?.description.contains(number) == true)
        }
    }

    @Test("an edited event hash is found at that event", arguments: DatabaseKind.available)
    func editedHashIsFound(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let ids = try await seed(ComplaintDesk(store: store))
            try await dropAppendOnlyTriggers(store, kind)
            try await store.execute(
                """
                UPDATE complaint_events SET hash = \(bind: Data(repeating: 0xaa, count: 32))
                WHERE \(historyOf: ids[2]) AND sequence = 2
                """)
            let number = try #require(try await store.record(id: ids[2])).complaint.number
            let report = try await store.verifyHistory()
            #expect(report.firstBreak?.complaintNumber == number)
            #expect(report.firstBreak?.sequence == 2)
        }
    }

    @Test("a removed last event is found by the version it leaves behind", arguments: DatabaseKind.available)
    func removedEventIsFound(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let ids = try await seed(ComplaintDesk(store: store))
            try await dropAppendOnlyTriggers(store, kind)
            try await store.execute(
                "DELETE FROM complaint_events WHERE \(historyOf: ids[0]) AND sequence = 4")
            let number = try #require(try await store.record(id: ids[0])).complaint.number
            let report = try await store.verifyHistory()
            #expect(report.firstBreak?.complaintNumber == number)
            #expect(report.firstBreak?.sequence == 4)
        }
    }
}

extension HistoryChainTests {
    @Test("a removed event in the middle is found and named", arguments: DatabaseKind.available)
    func removedMiddleEventIsFound(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let ids = try await seed(ComplaintDesk(store: store))
            try await dropAppendOnlyTriggers(store, kind)
            try await store.execute(
                "DELETE FROM complaint_events WHERE \(historyOf: ids[1]) AND sequence = 2")
            let number = try #require(try await store.record(id: ids[1])).complaint.number
            let found = try #require(try await store.verifyHistory().firstBreak)
            #expect(found.complaintNumber == number)
            #expect(found.sequence == 2)
            #expect(found.description.contains("event 2"))
        }
    }
}

extension HistoryChainTests {
    @Test("verification walks every complaint, past its batch of 500", arguments: DatabaseKind.available)
    func verifiesPastOneBatch(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            var last: ComplaintRecord?
            for index in 0..<503 {
                last = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(Double(index))).record
            }
            let tampered = try #require(last)
            let intact = try await store.verifyHistory()
            #expect(intact.isIntact)
            #expect(intact.complaintsChecked == 503)
            #expect(intact.eventsChecked == 503)

            // The complaint with the greatest id is in the second batch; its break must still be found.
            try await dropAppendOnlyTriggers(store, kind)
            try await store.execute(
                """
                UPDATE complaint_events SET body = body || ' '
                WHERE \(historyOf: tampered.complaint.id)
                """
            )
            let report = try await store.verifyHistory()
            #expect(report.firstBreak?.complaintNumber == tampered.complaint.number)
            #expect(report.firstBreak?.sequence == 1)
            #expect(report.complaintsChecked == 503)
        }
    }
}
