import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

/// Storage rules: numbers come from a per-year counter, gap-free and never reused; on PostgreSQL through blocks of
/// reserved sequences (`SequenceAllocation`), so the counter is not held by every intake.
@Suite("Creating complaints and their numbers")
struct NumberingTests {
    typealias F = StoreFixtures

    @Test("a created complaint reads back by id and by number, with its first event", arguments: DatabaseKind.available)
    func createdComplaintReadsBack(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let (record, replayed) = try await desk.receive(F.intake(), at: F.mondayMorning)
            #expect(!replayed)
            #expect(record.complaint.number == "260413001")
            #expect(record.complaint.state == .received)
            #expect(record.complaint.version == 1)
            #expect(record.nextDueAt != nil)
            #expect(try await store.record(id: record.complaint.id) == record)
            #expect(try await store.record(number: "260413001") == record)
            #expect(try await store.record(number: "260413002") == nil)
            #expect(try await store.record(id: ComplaintID("no-such-complaint")) == nil)
            let history = try await store.history(of: record.complaint.id)
            #expect(history.count == 1)
            #expect(history.first?.sequence == 1)
            if case .received(let received) = history.first?.change {
                #expect(received.number == "260413001")
                #expect(received.intake == record.complaint.intake)
            } else {
                Issue.record("the first event is not the receipt: \(String(describing: history.first))")
            }
        }
    }

    @Test("numbers count per year without gaps, and a new year starts again at 001", arguments: DatabaseKind.available)
    func gapFreePerYear(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            var numbers: [String] = []
            for instant in [
                "2026-04-13T09:00:00+08:00", "2026-04-13T15:30:00+08:00", "2026-04-14T10:00:00+08:00",
                // 08:00 on 1 January in Beijing is still 2026-12-31 in UTC: the business calendar's year counts.
                "2027-01-01T08:00:00+08:00", "2027-01-04T09:00:00+08:00",
                // A complaint of the old year entered late continues the old year's count.
                "2026-12-31T23:59:00+08:00",
            ] {
                numbers.append(try await desk.receive(F.intake(), at: F.instant(instant)).record.complaint.number)
            }
            #expect(numbers == ["260413001", "260413002", "260414003", "270101001", "270104002", "261231004"])
            #expect(try await store.lastSequence(of: 2026) == 4)
            #expect(try await store.lastSequence(of: 2027) == 2)
            for year in [2026, 2027] { #expect(try await store.numbering(of: year).isGapFree, "\(year)") }
            for number in numbers { #expect(try await store.record(number: number)?.complaint.number == number) }
        }
    }

    @Test("the sequence widens past its three digits instead of wrapping", arguments: DatabaseKind.available)
    func widensPast999(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            try await store.execute("INSERT INTO number_counters (year, last_sequence) VALUES (2026, 998)")
            let desk = ComplaintDesk(store: store)
            let first = try await desk.receive(F.intake(), at: F.mondayMorning).record
            let second = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(60)).record
            #expect(first.complaint.number == "260413999")
            #expect(second.complaint.number == "2604131000")
            #expect(try await store.record(number: "2604131000")?.complaint.id == second.complaint.id)
            #expect(try await store.lastSequence(of: 2026) == 1000)
        }
    }

    @Test("20 complaints created at once get 20 distinct, consecutive numbers", arguments: DatabaseKind.available)
    func concurrentCreatesAreConsecutive(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let records = try await withThrowingTaskGroup(of: ComplaintRecord.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await desk.receive(
                            F.intake(subject: "并发投诉 \(index)"), at: F.mondayMorning.addingTimeInterval(Double(index)),
                            idempotencyKey: "concurrent-\(index)"
                        ).record
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let sequences = records.compactMap { F.sequence(of: $0.complaint.number) }.sorted()
            #expect(sequences == Array(1...20))
            #expect(Set(records.map(\.complaint.id)).count == 20)
            #expect(try await store.count("complaints") == 20)
            #expect(try await store.count("complaint_events") == 20)
            #expect(try await store.lastSequence(of: 2026) == 20)
            #expect(try await store.numbering(of: 2026).isGapFree)
            #expect(try await store.verifyHistory().isIntact)
            // Each complaint is built before its number is known; the number the transaction allocated is the one
            // in its stored document and in its first event.
            for record in records {
                #expect(try await store.record(number: record.complaint.number) == record)
                let first = try await store.history(of: record.complaint.id).first
                guard case .received(let received) = first?.change else {
                    Issue.record("the first event is not the receipt")
                    continue
                }
                #expect(received.number == record.complaint.number)
            }
        }
    }

    @Test("a failed create gives its number back", arguments: DatabaseKind.available)
    func failedCreateLeavesNoGap(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            try await desk.receive(F.intake(), at: F.mondayMorning)
            // An intake the core refuses fails before anything is written.
            await #expect(throws: DomainError.self) {
                try await desk.receive(F.intake(subject: "  "), at: F.mondayMorning.addingTimeInterval(60))
            }
            // A create that fails inside its transaction, after the counter moved, gives the number back too.
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await store.create(
                    year: 2026, idempotencyKey: nil, fingerprint: "",
                    number: {
                        ComplaintNumbering.standard.format(sequence: $0, on: LocalDate(year: 2026, month: 4, day: 13))
                    },
                    make: { number in
                        let (complaint, event) = try Workflow(policy: .standard).receive(
                            F.intake(), id: StoreFixtures.nextComplaintID(), number: number,
                            at: F.mondayMorning.addingTimeInterval(90), by: .staff(F.agent))
                        return (ComplaintRecord(complaint: complaint, clocks: []), event)
                    },
                    effects: { _ in throw Refused() })
            }
            let next = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(120)).record
            #expect(next.complaint.number == "260413002")
            #expect(try await store.count("complaints") == 2)
            #expect(try await store.numbering(of: 2026).isGapFree)
        }
    }

    @Test(
        "PostgreSQL moves the counter by a block and gives out its sequences lowest first, before the next block",
        arguments: DatabaseKind.available.filter { $0 == .postgres })
    func reservesInBlocks(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            try await desk.receive(F.intake(), at: F.mondayMorning)
            var numbering = try await store.numbering(of: 2026)
            #expect(numbering.issued == [1])
            #expect(numbering.reserved == Array(2...32))
            #expect(numbering.counter == 32)
            for minute in 1..<40 {
                try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(Double(minute) * 60))
            }
            numbering = try await store.numbering(of: 2026)
            #expect(numbering.issued == Array(1...40))
            #expect(numbering.reserved == Array(41...64))
            #expect(numbering.isGapFree)
        }
    }

    @Test(
        "a reserved sequence a failed intake held goes to the next intake, below numbers given meanwhile",
        arguments: DatabaseKind.available.filter { $0 == .postgres })
    func heldSequenceComesBack(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            try await desk.receive(F.intake(), at: F.mondayMorning)
            // A transaction holds sequence 2, as an intake in flight would, while another intake takes 3; then it
            // fails.
            let database = store.database
            let holding = AsyncStream.makeStream(of: Void.self)
            let release = AsyncStream.makeStream(of: Void.self)
            let held = Task {
                struct Abandoned: Error {}
                try await database.transaction { db in
                    _ = try await db.raw(
                        "SELECT sequence FROM number_reservations WHERE year = 2026 ORDER BY sequence LIMIT 1 FOR UPDATE"
                    ).first()
                    holding.continuation.yield()
                    for await _ in release.stream { break }
                    throw Abandoned()
                }
            }
            for await _ in holding.stream { break }
            let third = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(60)).record
            #expect(third.complaint.number == "260413003")
            release.continuation.yield()
            _ = await held.result
            let second = try await desk.receive(F.intake(), at: F.mondayMorning.addingTimeInterval(120)).record
            #expect(second.complaint.number == "260413002")
            #expect(try await store.numbering(of: 2026).isGapFree)
        }
    }
}
