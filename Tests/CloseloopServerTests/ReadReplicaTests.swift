import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@_spi(Tools) @testable import CloseloopApp

/// Issue 16 item 5, `serve --read-database`: searches, reports and exports are read from a PostgreSQL streaming
/// replica, while every write, every other page and a user's reads right after their own write go to the primary.
/// The replica's replay is paused mid-test, so what it serves is visibly behind: each assertion tells which database
/// answered. Runs where `scripts/test.sh` started the replica (pg_basebackup); serialised, since pausing replay is
/// the whole replica's.
@Suite("Read replica", .serialized, .enabled(if: ReadReplica.isAvailable))
struct ReadReplicaTests {
    func numbers(_ server: TestServer, _ query: String, as user: String) async throws -> [String] {
        try await server.send(.get, "/complaints?" + query, as: user).expect(.ok, ComplaintListBody.self).items
            .map(\.number)
    }

    @Test("Searches and reports read the replica; the writer's own next pages and every queue read the primary")
    func routing() async throws {
        try await withServer(.postgres, readReplica: true) { server in
            let replica = try #require(server.replica)
            let before = try await server.createComplaint(["subject": "复制之前的投诉"])
            try await replica.caughtUp()
            try await replica.pauseReplay(true)
            do {
                // The agent writes while the replica stands still.
                let after = try await server.createComplaint(["subject": "暂停之后的投诉"], as: Staff.agent)

                // Someone who has not written searches on the replica: the older complaint is there, the new not.
                #expect(try await numbers(server, "q=复制之前", as: Staff.supervisor) == [before.number])
                #expect(try await numbers(server, "q=暂停之后", as: Staff.supervisor).isEmpty)
                // The same reader's queue is the primary's: a queue is never behind.
                #expect(try await numbers(server, "limit=100", as: Staff.supervisor).contains(after.number))
                // The writer's own search right after the write is served by the primary.
                #expect(try await numbers(server, "q=暂停之后", as: Staff.agent) == [after.number])

                // A report read by someone who has not written counts what the replica holds (a minute on, so the
                // complaints received at the test's start are in the day so far).
                server.time.advance(by: 60)
                let today = await server.services.settings.current().calendar.localDate(of: server.time.now())
                let monitoring = try await server.services.monitoring.report(for: today, asOf: server.time.now())
                #expect(monitoring.receivedOnDay == 1, "the replica has the first complaint only")
                let ownWrites = try await ReadRouting.$ownWrites.withValue(true) {
                    try await server.services.monitoring.report(for: today, asOf: server.time.now())
                }
                #expect(ownWrites.receivedOnDay == 2)
                // An export accepts a copy a moment behind.
                var exported = ""
                _ = try await server.services.export().run(includePersonalData: false) { exported += $0 }
                #expect(exported.contains(before.number) && !exported.contains(after.number))
            } catch {
                try await replica.pauseReplay(false)
                throw error
            }
            try await replica.pauseReplay(false)
            try await replica.caughtUp()
            let replayed = try await replica.database.read { db in
                try await db.raw("SELECT count(*) AS n FROM complaints").first()!.decode(column: "n", as: Int.self)
            }
            #expect(replayed == 2)
            #expect(try await numbers(server, "q=暂停之后", as: Staff.supervisor).count == 1, "caught up")
        }
    }
}
