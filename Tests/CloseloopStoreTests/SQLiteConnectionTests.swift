import CloseloopStore
import Foundation
import NIOCore
import SQLKit
import Testing

/// SQLite driven through its C API: values come back as they went in, kept statements follow schema changes,
/// readers queue for a free connection, and a batch of writes that all succeed shares one commit.
@Suite("SQLite connections")
struct SQLiteConnectionTests {
    /// A fresh database file in a folder of its own, shut down and removed after `body`.
    private func withDatabase(
        readerCount: Int = 4, _ body: (SQLiteDatabase) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("closeloop-sqlite-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = SQLiteDatabase(
            path: directory.appendingPathComponent("test.sqlite").path, readerCount: readerCount)
        do {
            try await body(database)
        } catch {
            await database.shutdown()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test("Text, numbers, empty values and blobs come back exactly as written")
    func valuesRoundTrip() async throws {
        try await withDatabase { database in
            try await database.transaction { db in
                try await db.raw("CREATE TABLE items (n INTEGER, x REAL, t TEXT, b BLOB)").run()
                let rows: [(Int64?, Double?, String?, [UInt8]?)] = [
                    (Int64.max, 0.1, "投诉：洗衣机噪音 — «straße» 🙂", [0, 1, 255]),
                    (Int64.min, -2.5e300, "", []),
                    (0, nil, nil, nil),
                ]
                for (n, x, t, b) in rows {
                    try await db.raw(
                        "INSERT INTO items VALUES (\(bind: n), \(bind: x), \(bind: t), \(bind: b.map { ByteBuffer(bytes: $0) }))"
                    ).run()
                }
            }
            let read = try await database.read { db in
                try await db.raw("SELECT n, x, t, b, typeof(t) AS tt, typeof(b) AS bt FROM items ORDER BY rowid").all()
            }
            #expect(read.count == 3)
            #expect(try read[0].decode(column: "n", as: Int64.self) == Int64.max)
            #expect(try read[0].decode(column: "x", as: Double.self) == 0.1)
            #expect(try read[0].decode(column: "t", as: String.self) == "投诉：洗衣机噪音 — «straße» 🙂")
            #expect(try read[0].decode(column: "b", as: ByteBuffer.self) == ByteBuffer(bytes: [0, 1, 255]))
            #expect(try read[1].decode(column: "n", as: Int64.self) == Int64.min)
            #expect(try read[1].decode(column: "x", as: Double.self) == -2.5e300)
            // Empty text and an empty blob are values, not NULL.
            #expect(try read[1].decode(column: "tt", as: String.self) == "text")
            #expect(try read[1].decode(column: "t", as: String.self) == "")
            #expect(try read[1].decode(column: "bt", as: String.self) == "blob")
            #expect(try read[2].decodeNil(column: "x"))
            #expect(try read[2].decode(column: "t", as: String?.self) == nil)
            #expect(read[0].allColumns == ["n", "x", "t", "b", "tt", "bt"])
            #expect(!read[0].contains(column: "missing"))
            #expect(throws: (any Error).self) { try read[0].decode(column: "missing", as: String.self) }
        }
    }

    @Test("A statement kept compiled sees a column added after it was first run")
    func keptStatementsFollowTheSchema() async throws {
        try await withDatabase(readerCount: 1) { database in
            try await database.transaction { db in
                try await db.raw("CREATE TABLE items (n INTEGER)").run()
                try await db.raw("INSERT INTO items VALUES (1)").run()
            }
            let select = "SELECT * FROM items"
            let before = try await database.read { db in try await db.raw(SQLQueryString(select)).all() }
            #expect(before.first?.allColumns == ["n"])
            try await database.transaction { db in
                try await db.raw("ALTER TABLE items ADD COLUMN label TEXT DEFAULT 'new'").run()
            }
            let after = try await database.read { db in try await db.raw(SQLQueryString(select)).all() }
            #expect(after.first?.allColumns == ["n", "label"])
            #expect(try after.first?.decode(column: "label", as: String.self) == "new")
        }
    }

    @Test("An error names SQLite's reason and leaves the connection usable")
    func errorsAreReported() async throws {
        try await withDatabase(readerCount: 1) { database in
            try await database.transaction { db in
                try await db.raw("CREATE TABLE items (n INTEGER PRIMARY KEY)").run()
                try await db.raw("INSERT INTO items VALUES (1)").run()
            }
            let duplicate = await #expect(throws: SQLiteFailure.self) {
                try await database.transaction { db in try await db.raw("INSERT INTO items VALUES (1)").run() }
            }
            #expect(duplicate?.message.contains("UNIQUE constraint failed") == true)
            let syntax = await #expect(throws: SQLiteFailure.self) {
                try await database.read { db in try await db.raw("SELEC 1").run() }
            }
            #expect(syntax?.message.contains("syntax error") == true)
            let count = try await database.read { db in
                try await db.raw("SELECT count(*) AS c FROM items").first()?.decode(column: "c", as: Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test("A parameter left without a value is refused, not read as the previous run's value")
    func everyParameterNeedsAValue() async throws {
        try await withDatabase(readerCount: 1) { database in
            let first = try await database.read { db in
                try await db.raw("SELECT \(bind: 41) + 1 AS n").first()?.decode(column: "n", as: Int.self)
            }
            #expect(first == 42)
            let unbound = await #expect(throws: SQLiteFailure.self) {
                try await database.read { db in try await db.raw("SELECT ?1 + 1 AS n").first() }
            }
            #expect(unbound?.message.contains("0 values for 1 parameters") == true)
        }
    }

    @Test("More reads than readers wait their turn and all complete")
    func readsQueueForAConnection() async throws {
        try await withDatabase(readerCount: 2) { database in
            try await database.transaction { db in
                try await db.raw("CREATE TABLE items (n INTEGER)").run()
                for n in 1...10 { try await db.raw("INSERT INTO items VALUES (\(bind: n))").run() }
            }
            let sums = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<24 {
                    group.addTask {
                        try await database.read { db in
                            // Holds its connection across a suspension, as a read that awaits something does.
                            await Task.yield()
                            return try await db.raw("SELECT sum(n) AS s FROM items").first()?
                                .decode(column: "s", as: Int.self) ?? 0
                        }
                    }
                }
                var sums: [Int] = []
                for try await sum in group { sums.append(sum) }
                return sums
            }
            #expect(sums == Array(repeating: 55, count: 24))
        }
    }

    @Test("A write waits for its commit; a reader sees it afterwards, and never a write half done")
    func readersSeeCommittedWrites() async throws {
        try await withDatabase { database in
            try await database.transaction { db in
                try await db.raw("CREATE TABLE pairs (a INTEGER, b INTEGER)").run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...50 {
                    group.addTask {
                        try await database.transaction { db in
                            try await db.raw("INSERT INTO pairs VALUES (\(bind: n), 0)").run()
                            try await db.raw("UPDATE pairs SET b = a WHERE a = \(bind: n)").run()
                        }
                        let row = try await database.read { db in
                            try await db.raw("SELECT b FROM pairs WHERE a = \(bind: n)").first()
                        }
                        #expect(try row?.decode(column: "b", as: Int.self) == n)
                    }
                    group.addTask {
                        let unfinished = try await database.read { db in
                            try await db.raw("SELECT count(*) AS c FROM pairs WHERE b <> a").first()?
                                .decode(column: "c", as: Int.self)
                        }
                        #expect(unfinished == 0)
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
