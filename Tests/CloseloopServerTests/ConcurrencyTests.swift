import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Many clients at once: optimistic versions, idempotency keys and gap-free numbers hold under parallel requests.
@Suite("Parallel requests")
struct ConcurrencyTests {
    @Test(
        "Of parallel actions at the same version exactly one wins; the rest get 409", arguments: DatabaseKind.available)
    func sameVersionRace(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let response = try await server.act(
                            "add-note", on: complaint, as: Staff.agent, ["text": "并发备注 \(index)"])
                        let code = response.status == .ok ? "" : try response.decode(ProblemBody.self).code
                        return (response.status, code)
                    }
                }
                var all: [(HTTPResponse.Status, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(statuses.filter { $0.0 == .ok }.count == 1)
            #expect(statuses.filter { $0.0 == .conflict && $0.1 == "complaint.version_conflict" }.count == 7)
            let after = try await server.complaint(complaint.id, as: Staff.agent)
            #expect(after.version == 2)
            let history = try await server.send(.get, "/complaints/\(complaint.id)/history", as: Staff.agent)
                .expect(.ok, HistoryBody.self)
            #expect(history.events.map(\.sequence) == [1, 2])
        }
    }

    @Test("Parallel intake gets distinct, gap-free numbers", arguments: DatabaseKind.available)
    func parallelNumbers(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await server.createComplaint(["subject": "并发受理 \(index)"]).number
                    }
                }
                var all: [String] = []
                for try await number in group { all.append(number) }
                return all
            }
            #expect(numbers.sorted() == (1...12).map { String(format: "260408%03d", $0) })
        }
    }

    @Test("Parallel retries with one idempotency key create one complaint", arguments: DatabaseKind.available)
    func parallelRetries(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let fields = TestServer.complaintFields()
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String, String).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let response = try await server.send(
                            .post, "/complaints", as: Staff.agent, json: fields,
                            headers: [TestServer.idempotencyKey: "retry-storm"])
                        let body = try response.decode(ComplaintBody.self)
                        return (response.status, body.id, body.number)
                    }
                }
                var all: [(HTTPResponse.Status, String, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.filter { $0.0 == .created }.count == 1)
            #expect(results.filter { $0.0 == .ok }.count == 5)
            #expect(Set(results.map(\.1)).count == 1)
            #expect(try await server.complaintCount() == 1)
            // The losers' numbers were not given. SQLite's single writer numbers the winner 1; on PostgreSQL a loser
            // may have held 1 while the winner took another (`SequenceAllocation`), and 1 comes back to the next.
            let winner = results[0].2
            #expect(kind == .postgres || winner == "260408001")
            let next = try await server.createComplaint(["subject": "下一单"]).number
            #expect(next == (winner == "260408001" ? "260408002" : "260408001"))
        }
    }
}
