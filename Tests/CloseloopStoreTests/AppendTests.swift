import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// How a change flows: the events `Workflow.apply` returns are appended with the complaint's new row in one
/// transaction, guarded by the version read; a stale write is refused, never a lost update.
@Suite("Appending events with optimistic versions")
struct AppendTests {
    typealias F = StoreFixtures

    @Test("appending at the expected version updates the record and the history", arguments: DatabaseKind.available)
    func appendUpdatesRecordAndHistory(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let id = try await desk.receive(F.intake(), at: F.mondayMorning).record.complaint.id
            var expectedHistory = try await store.history(of: id)

            let steps: [(ComplaintAction, Actor)] = [
                (.checkCompleteness(complete: true, missing: [], note: "已核实"), .staff(F.agent)),
                (.decideValidity(valid: true, reason: "送货延误属实"), .staff(F.agent)),
                (.assign(F.assignment(priority: .p1, owner: F.otherAgent.id)), .staff(F.supervisor)),
                (.recordContact(outcome: .reached, note: "已电话联系客户"), .staff(F.otherAgent)),
            ]
            for (offset, (action, actor)) in steps.enumerated() {
                let at = F.mondayMorning.addingTimeInterval(Double(offset + 1) * 600)
                let change = try await desk.prepare(action, on: id, by: actor, at: at)
                #expect(change.expectedVersion == offset + 1)
                try await desk.write(change)
                expectedHistory += change.events
                #expect(try await store.record(id: id) == change.record)
                #expect(try await store.history(of: id) == expectedHistory)
            }

            let record = try #require(try await store.record(id: id))
            #expect(record.complaint.version == 5)
            #expect(record.complaint.state == .investigating)
            #expect(record.complaint.owner == F.otherAgent.id)
            #expect(record.complaint.department == F.afterSales)
            #expect(record.complaint.priority == .p1)
            #expect(try await store.record(number: record.complaint.number) == record)
            // The stored history replays to the stored complaint.
            #expect(Complaint(id: id, history: try await store.history(of: id)) == record.complaint)
            #expect(try await store.verifyHistory().isIntact)
        }
    }

    @Test("a stale expected version is a conflict and writes nothing", arguments: DatabaseKind.available)
    func staleVersionConflicts(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let id = try await desk.receive(F.intake(), at: F.mondayMorning).record.complaint.id
            // Two people open the complaint at version 1; the first saves.
            let first = try await desk.prepare(
                .addNote(text: "客户来电催促", isInternal: true), on: id, by: .staff(F.agent),
                at: F.mondayMorning.addingTimeInterval(60))
            let second = try await desk.prepare(
                .checkCompleteness(complete: true, missing: [], note: "已核实"), on: id, by: .staff(F.otherAgent),
                at: F.mondayMorning.addingTimeInterval(90))
            try await desk.write(first)

            await #expect(throws: StoreError.versionConflict(expected: 1, current: 2)) {
                try await desk.write(second)
            }
            #expect(try await store.history(of: id).count == 2)
            #expect(try await store.record(id: id) == first.record)
            #expect(try await store.verifyHistory().isIntact)
        }
    }

    @Test("appending to a complaint that does not exist fails", arguments: DatabaseKind.available)
    func appendToMissingComplaint(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let id = try await desk.receive(F.intake(), at: F.mondayMorning).record.complaint.id
            var change = try await desk.prepare(
                .addNote(text: "备注", isInternal: false), on: id, by: .staff(F.agent),
                at: F.mondayMorning.addingTimeInterval(60))
            change.record.complaint.id = ComplaintID("no-such-complaint")
            await #expect(throws: StoreError.complaintNotFound) { try await desk.write(change) }
            #expect(try await store.count("complaint_events") == 1)
        }
    }

    @Test("of two concurrent appends at the same version exactly one wins", arguments: DatabaseKind.available)
    func concurrentAppendsOneWins(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let id = try await desk.receive(F.intake(), at: F.mondayMorning).record.complaint.id
            try await desk.validate(id, at: F.mondayMorning.addingTimeInterval(60))
            let changes = [
                try await desk.prepare(
                    .addNote(text: "李娜的备注", isInternal: true), on: id, by: .staff(F.agent),
                    at: F.mondayMorning.addingTimeInterval(600)),
                try await desk.prepare(
                    .assign(F.assignment()), on: id, by: .staff(F.supervisor),
                    at: F.mondayMorning.addingTimeInterval(601)),
            ]
            #expect(changes.allSatisfy { $0.expectedVersion == 3 })

            let outcomes = await withTaskGroup(of: (Int, StoreError?).self) { group in
                for (index, change) in changes.enumerated() {
                    group.addTask {
                        do {
                            try await desk.write(change)
                            return (index, nil)
                        } catch let error as StoreError {
                            return (index, error)
                        } catch {
                            return (index, StoreError.corruptRecord("unexpected: \(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.filter { $0.1 == nil }.map(\.0)
            let losers = outcomes.compactMap(\.1)
            try #require(winners.count == 1)
            #expect(losers == [.versionConflict(expected: 3, current: 4)])

            let winner = changes[winners[0]]
            #expect(try await store.history(of: id).count == 4)
            #expect(try await store.history(of: id).last == winner.events.last)
            #expect(try await store.record(id: id) == winner.record)
            #expect(try await store.verifyHistory().isIntact)
        }
    }

    @Test("many writers racing on one complaint lose no update", arguments: DatabaseKind.available)
    func racingWritersLoseNothing(kind: DatabaseKind) async throws {
        try await withStore(kind) { store in
            let desk = ComplaintDesk(store: store)
            let id = try await desk.receive(F.intake(), at: F.mondayMorning).record.complaint.id
            // Each writer retries on conflict with a fresh read, as the server's client would after a 409.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<6 {
                    group.addTask {
                        for attempt in 0..<100 {
                            do {
                                try await desk.note(
                                    id, "writer \(writer)", at: F.mondayMorning.addingTimeInterval(Double(60 + writer)))
                                return
                            } catch StoreError.versionConflict {
                                if attempt == 99 { throw StoreError.versionConflict(expected: -1, current: -1) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let history = try await store.history(of: id)
            #expect(history.map(\.sequence) == Array(1...7))
            let notes = history.compactMap { event -> String? in
                if case .noteAdded(let note) = event.change { note.text } else { nil }
            }
            #expect(Set(notes) == Set((0..<6).map { "writer \($0)" }))
            #expect(try await store.record(id: id)?.complaint.version == 7)
            #expect(try await store.verifyHistory().isIntact)
        }
    }
}
