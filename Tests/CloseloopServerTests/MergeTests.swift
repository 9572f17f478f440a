@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Merging the same customer's duplicate (并单, issue 14 item 2) over the API: closed as merged with a link both ways,
/// its attachments on the surviving complaint, both written at once, and counted once, as a repeat.
@Suite("Merging duplicates")
struct MergeTests {
    @Test(
        "The duplicate closes as merged; the survivor links it, takes its attachments and is major",
        arguments: DatabaseKind.available)
    func merged(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let survivor = try await server.reaching("investigating")
            server.time.advance(by: 3600)
            let upload = try await server.send(
                .post, "/attachments?fileName=crack.jpg", as: Staff.agent, body: .init(string: "photo"),
                contentType: "application/octet-stream")
            let attachment = try upload.expect(.created, ComplaintBody.Attachment.self)
            // The same customer calls again, writing their phone differently.
            let duplicate = try await server.createComplaint([
                "customer": ["name": "周女士", "phone": "+86 138-0013-8001"] as [String: any Sendable],
                "attachmentIds": [attachment.id],
            ])
            _ = try await server.perform(
                "add-note", on: duplicate, as: Staff.agent, ["text": "客户第二次来电，情绪激动", "internal": false])
            let current = try await server.complaint(duplicate.id, as: Staff.agent)
            let merged = try await server.perform(
                "merge", on: current, as: Staff.agent, ["into": survivor.number, "reason": "同一空调同一故障"])
            #expect(merged.state == "closed" && merged.resolution == "merged")
            #expect(merged.mergedInto == survivor.number && merged.repeatOf == survivor.number)
            #expect(merged.clocks.allSatisfy { $0.stoppedAt != nil })

            let kept = try await server.complaint(survivor.id, as: Staff.agent)
            #expect(kept.mergedDuplicates == [duplicate.number])
            #expect(kept.attachments.map(\.fileName) == ["crack.jpg"])
            #expect(kept.severity == "major" && kept.state == "investigating")
            let history = try await server.send(.get, "/complaints/\(survivor.id)/history", as: Staff.agent)
                .expect(.ok, HistoryBody.self)
            #expect(history.events.last?.type == "duplicate_merged")
            // The duplicate's notes stay readable from the survivor's side.
            let notes = try await server.services.complaints.merged(into: survivor.number)
            #expect(notes.map(\.complaint.number) == [duplicate.number])

            // Counted once, as a repeat.
            let calendar = await server.services.settings.current().calendar
            let april = try await server.services.store.statistics(
                StatisticsDays(
                    from: LocalDate(year: 2026, month: 4, day: 1), until: LocalDate(year: 2026, month: 5, day: 1),
                    calendar: calendar))
            #expect(april.received == 2 && april.repeats == 1)
        }
    }

    @Test("Not into another customer's complaint, a closed one, itself, or by a handler; nothing is half merged")
    func refusals() async throws {
        try await withServer(.sqlite) { server in
            let survivor = try await server.reaching("investigating")
            let stranger = try await server.createComplaint([
                "customer": ["name": "吴先生", "phone": "13900000000"] as [String: any Sendable]
            ])
            let refused = try await server.act(
                "merge", on: stranger, as: Staff.agent, ["into": survivor.number, "reason": "同一问题"])
            #expect(try refused.problem(.unprocessableContent).errors?.first?.field == "into")
            let itself = try await server.act(
                "merge", on: survivor, as: Staff.agent, ["into": survivor.number, "reason": "x"])
            #expect(try itself.problem(.unprocessableContent).errors?.first?.field == "into")
            let unknown = try await server.act(
                "merge", on: stranger, as: Staff.agent, ["into": "999999999", "reason": "x"])
            #expect(try unknown.problem(.unprocessableContent).errors?.first?.code == "unknown_complaint")
            let duplicate = try await server.createComplaint()
            let byHandler = try await server.act(
                "merge", on: duplicate, as: Staff.handler, ["into": survivor.number, "reason": "同一问题"])
            #expect(try byHandler.problem(.forbidden).code == "action.not_allowed")
            // The survivor changed after the duplicate was read: the duplicate's stale version refuses the merge and
            // neither complaint changes.
            let stale = try await server.act(
                "merge", on: duplicate, as: Staff.agent,
                ["into": survivor.number, "reason": "同一问题", "version": duplicate.version + 5])
            #expect(stale.status == .conflict)
            #expect(try await server.complaint(duplicate.id, as: Staff.agent).state == "received")
            #expect(try await server.complaint(survivor.id, as: Staff.agent).mergedDuplicates == nil)
        }
    }
}
