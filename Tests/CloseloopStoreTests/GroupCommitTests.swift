import CloseloopStore
import CloseloopTestSupport
import Foundation
import SQLKit
import Testing

/// SQLite's group commit: transactions that wait together share one commit, yet each keeps its own outcome.
@Suite("SQLite group commit")
struct GroupCommitTests {
    /// Lets the first transaction hold the writer until the test has queued the others behind it.
    actor Gate {
        private var waiter: CheckedContinuation<Void, Never>?
        private var open = false
        private(set) var entered = false

        func wait() async {
            entered = true
            if open { return }
            await withCheckedContinuation { waiter = $0 }
        }

        func release() {
            open = true
            waiter?.resume()
            waiter = nil
        }
    }

    @Test("Transactions queued behind a commit share the next one; a failing one is undone alone")
    func batches() async throws {
        let scratch = try await ScratchDatabase.make(.sqlite)
        defer { Task { await scratch.dispose() } }
        let database = try #require(scratch.database as? SQLiteDatabase)
        try await database.transaction { db in try await db.raw("CREATE TABLE items (n INTEGER PRIMARY KEY)").run() }
        let before = await database.writeStatistics()
        let gate = Gate()

        struct Refused: Error {}
        try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                try await database.transaction { db in
                    await gate.wait()
                    try await db.raw("INSERT INTO items (n) VALUES (0)").run()
                    return 0
                }
            }
            // Until the first transaction is running, the others could join its batch; wait for it to start.
            while !(await gate.entered) { await Task.yield() }
            for n in 1...40 {
                group.addTask {
                    do {
                        return try await database.transaction { db in
                            try await db.raw("INSERT INTO items (n) VALUES (\(bind: n))").run()
                            // Its row is written, then it fails: the row must not survive.
                            if n == 17 { throw Refused() }
                            return n
                        }
                    } catch is Refused {
                        return nil
                    }
                }
            }
            while await database.waitingWrites() < 40 { await Task.yield() }
            await gate.release()
            var outcomes: [Int?] = []
            for try await outcome in group { outcomes.append(outcome) }
            #expect(outcomes.compactMap { $0 }.sorted() == Array(0...40).filter { $0 != 17 })
        }
        let after = await database.writeStatistics()
        #expect(after.transactions - before.transactions == 41)
        // The first transaction's commit, then one commit for the forty that waited behind it.
        #expect(after.commits - before.commits == 2)
        let rows = try await database.read { db in
            try await db.raw("SELECT n FROM items ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
        }
        #expect(rows == Array(0...40).filter { $0 != 17 })
    }
}
