import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Storage rules: an idempotency key on every create makes a retried submission return the first result.
@Suite("Idempotent creates")
struct IdempotencyTests {
    typealias F = StoreFixtures

    @Test(
        "the same key and fingerprint return the first complaint and write nothing", arguments: DatabaseKind.available)
    func retryReplaysFirstResult(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let first = try await desk.receive(
                F.intake(subject: "空调安装后漏水"), at: F.mondayMorning, idempotencyKey: "form-7f3a", fingerprint: "sha-A")
            #expect(!first.replayed)

            // The retry arrives later; whatever it would build, the first result stands.
            let retry = try await desk.receive(
                F.intake(subject: "空调安装后漏水"), at: F.mondayMorning.addingTimeInterval(30), idempotencyKey: "form-7f3a",
                fingerprint: "sha-A")
            #expect(retry.replayed)
            #expect(retry.record == first.record)
            #expect(try await store.count("complaints") == 1)
            #expect(try await store.count("complaint_events") == 1)
            #expect(try await store.count("idempotency_keys") == 1)
            #expect(try await store.lastSequence(of: 2026) == 1)

            // No number was used by the retry.
            let next = try await desk.receive(
                F.intake(), at: F.mondayMorning.addingTimeInterval(60), idempotencyKey: "other")
            #expect(next.record.complaint.number == "260413002")
        }
    }

    @Test("the same key with another fingerprint is refused", arguments: DatabaseKind.available)
    func keyReusedForAnotherRequest(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            try await desk.receive(F.intake(), at: F.mondayMorning, idempotencyKey: "form-7f3a", fingerprint: "sha-A")
            await #expect(throws: StoreError.idempotencyKeyReused) {
                try await desk.receive(
                    F.intake(subject: "另一件事"), at: F.mondayMorning.addingTimeInterval(30), idempotencyKey: "form-7f3a",
                    fingerprint: "sha-B")
            }
            #expect(try await store.count("complaints") == 1)
            #expect(try await store.count("complaint_events") == 1)
            #expect(try await store.lastSequence(of: 2026) == 1)
        }
    }

    @Test("creates without a key are never deduplicated", arguments: DatabaseKind.available)
    func noKeyNoDeduplication(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let first = try await desk.receive(F.intake(), at: F.mondayMorning)
            let second = try await desk.receive(F.intake(), at: F.mondayMorning)
            #expect(!first.replayed && !second.replayed)
            #expect(first.record.complaint.id != second.record.complaint.id)
            #expect(try await store.count("complaints") == 2)
        }
    }

    @Test("concurrent creates with one key produce one complaint", arguments: DatabaseKind.available)
    func concurrentRetriesProduceOneComplaint(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let results = try await withThrowingTaskGroup(of: (record: ComplaintRecord, replayed: Bool).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await desk.receive(
                            F.intake(), at: F.mondayMorning, idempotencyKey: "double-click", fingerprint: "sha-A")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 8)
            #expect(Set(results.map(\.record.complaint.id)).count == 1)
            #expect(results.filter { !$0.replayed }.count == 1)
            #expect(try await store.count("complaints") == 1)
            #expect(try await store.count("complaint_events") == 1)
            // The losers' numbers were rolled back with them, and none is given twice. SQLite's single writer numbers
            // the winner 1. On PostgreSQL losers may have held lower sequences while the winner took its own
            // (`SequenceAllocation`): those stay reserved, not lost, and the next intakes take them, lowest first.
            let held = try await store.numbering(of: 2026)
            #expect(held.accountsForEverySequence)
            let winner = try #require(held.issued.first)
            #expect(held.issued.count == 1 && winner <= 8, "only the seven other requests could hold a lower one")
            #expect(kind == .postgres || winner == 1)
            for minute in 1..<winner {
                _ = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(60 * Double(minute)))
            }
            let filled = try await store.numbering(of: 2026)
            #expect(filled.issued == Array(1...winner) && filled.isGapFree)
            let next = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(3600))
            #expect(next.record.complaint.number == String(format: "260413%03d", winner + 1))
        }
    }
}
