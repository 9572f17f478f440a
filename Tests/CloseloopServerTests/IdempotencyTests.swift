import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `Idempotency-Key` on intake: a client retrying after a lost answer gets the first complaint back, never a second.
@Suite("Idempotent intake")
struct IdempotencyTests {
    @Test("A replay with the same key returns 200 and the same complaint", arguments: DatabaseKind.available)
    func replay(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let key: HTTPFields = [TestServer.idempotencyKey: "order-4711-complaint"]
            let fields = TestServer.complaintFields()
            let first = try await server.send(.post, "/complaints", as: Staff.agent, json: fields, headers: key)
                .expect(.created, ComplaintBody.self)
            server.time.advance(by: 30)
            let again = try await server.send(.post, "/complaints", as: Staff.agent, json: fields, headers: key)
                .expect(.ok, ComplaintBody.self)
            #expect(again.id == first.id)
            #expect(again.number == first.number)
            #expect(again.receivedAt == first.receivedAt)
            #expect(again.version == 1)
            #expect(try await server.complaintCount() == 1)

            // A key is the caller's own: another agent sending the same key never receives a colleague's complaint
            // (nor learns that the key was used); theirs is a complaint of its own, replayed to them alone.
            let colleague = try await server.send(
                .post, "/complaints", as: Staff.otherAgent, json: fields, headers: key
            ).expect(.created, ComplaintBody.self)
            #expect(colleague.id != first.id)
            let colleagueAgain = try await server.send(
                .post, "/complaints", as: Staff.otherAgent, json: fields, headers: key
            ).expect(.ok, ComplaintBody.self)
            #expect(colleagueAgain.id == colleague.id)
            #expect(try await server.complaintCount() == 2)

            // Without a key, the same body is another complaint.
            let unkeyed = try await server.createComplaint()
            #expect(unkeyed.id != first.id)
            #expect(try await server.complaintCount() == 3)
        }
    }

    @Test("The same key with a different body is 422 idempotency.key_reused", arguments: DatabaseKind.available)
    func reusedKey(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let key: HTTPFields = [TestServer.idempotencyKey: "k-1"]
            let first = try await server.send(
                .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(), headers: key)
            #expect(first.status == .created)
            for overrides in [
                ["subject": "另一件事"],
                ["priority": "P0"],
                ["receivedAt": Instants.text(Instants.wednesdayMorning.addingTimeInterval(-60))],
            ] as [[String: any Sendable]] {
                let problem = try await server.send(
                    .post, "/complaints", as: Staff.agent, json: TestServer.complaintFields(overrides), headers: key
                ).problem(.unprocessableContent)
                #expect(problem.code == "idempotency.key_reused")
            }
            #expect(try await server.complaintCount() == 1)
        }
    }
}
