@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation
import SQLKit

/// Measurements taken with the store opened in this process (the server stopped): the deadline watcher's pass, the
/// monthly statistics, the database's size, and a sample of complaint ids for the HTTP workloads.
struct InProcessMeasures: Sendable {
    let services: AppServices

    /// What one timed watcher pass found.
    struct DeadlinePass: Sendable {
        var open: Int
        var due: Int
        var milliseconds: Double
        /// Alerts that had fallen due on their own since the complaints were generated, recorded before timing.
        var caughtUp: Int
    }

    /// Catches up with what fell due since generation, makes 1 % of the open complaints due (their `next_alert_at`
    /// a minute in the past), and times one `DeadlineWatcher.pass()`.
    func deadlinePass() async throws -> DeadlinePass {
        let watcher = DeadlineWatcher(complaints: services.complaints, batchSize: 200)
        let caughtUp = try await watcher.pass()
        let store = services.store
        let open = try await store.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM complaints WHERE state NOT IN ('closed', 'archived')")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let wanted = max(1, open / 100)
        let ids = try await store.database.read { db in
            try await db.raw(
                """
                SELECT id FROM complaints WHERE state NOT IN ('closed', 'archived') AND next_alert_at IS NOT NULL
                ORDER BY random() LIMIT \(bind: wanted)
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
        }
        let past = Int64((services.time.now().timeIntervalSince1970 - 60) * 1000)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            try await store.database.transaction { db in
                try await db.update("complaints").set("next_alert_at", to: past).where("id", .in, chunk).run()
            }
        }
        let started = ContinuousClock.now
        _ = try await watcher.pass()
        let elapsed = (ContinuousClock.now - started).seconds * 1000
        return DeadlinePass(open: open, due: ids.count, milliseconds: elapsed, caughtUp: caughtUp)
    }

    /// Up to `count` ids of loaded complaints, spread over the whole table.
    func sampleIDs(_ count: Int) async throws -> [String] {
        try await services.store.database.read { db in
            try await db.raw("SELECT id FROM complaints ORDER BY random() LIMIT \(bind: count)").all()
                .map { try $0.decode(column: "id", as: String.self) }
        }
    }

    /// Departments that have complaints assigned.
    func departments() async throws -> [String] {
        try await services.store.database.read { db in
            try await db.raw(
                "SELECT DISTINCT department FROM complaints WHERE department IS NOT NULL ORDER BY department"
            )
            .all().map { try $0.decode(column: "department", as: String.self) }
        }
    }

    /// The database's size in bytes: the SQLite file with its WAL, or `pg_database_size`.
    func databaseBytes(_ database: BenchDatabase) async throws -> Int64 {
        switch database.location {
        case .sqlite(let path):
            return [path, path + "-wal"].reduce(Int64(0)) { total, file in
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
                return total + (size ?? 0)
            }
        case .postgres:
            return try await services.store.database.read { db in
                try await db.raw("SELECT pg_database_size(current_database()) AS bytes").first()?
                    .decode(column: "bytes", as: Int64.self) ?? 0
            }
        }
    }

    /// The years whose numbers do not run 1…n, each once, after the server's intakes (bulk-loaded and served
    /// complaints alike): what gap-free numbering promises, checked on the whole table.
    func numberingGaps() async throws -> [String] {
        try await services.store.database.read { db in
            try await db.raw(
                """
                SELECT number_year, COUNT(*) AS n, COUNT(DISTINCT number_sequence) AS distinct_n,
                    MAX(number_sequence) AS highest
                FROM complaints GROUP BY number_year ORDER BY number_year
                """
            ).all().compactMap { row in
                let year = try row.decode(column: "number_year", as: Int.self)
                let count = try row.decode(column: "n", as: Int.self)
                let distinct = try row.decode(column: "distinct_n", as: Int.self)
                let highest = try row.decode(column: "highest", as: Int.self)
                guard count != distinct || distinct != highest else { return nil }
                return "\(year): \(count) complaints, \(distinct) distinct sequences, highest \(highest)"
            }
        }
    }
}
