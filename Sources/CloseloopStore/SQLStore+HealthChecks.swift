import CloseloopCore
import Foundation
import SQLKit

/// Every server instance's health checks (`HealthCheck`), kept so the daily report sums a day of all instances, and
/// a restarted instance's earlier checks are not lost with its memory.
extension SQLStore {
    /// Keeps `check`, and forgets the checks from before `forgetBefore`.
    public func recordHealthCheck(_ check: HealthCheck, forgetBefore: Date) async throws {
        let document = try StoreCoding.encode(check)
        try await database.transaction { db in
            try await db.delete(from: "health_checks")
                .where("at", .lessThan, Timestamp.milliseconds(forgetBefore)).run()
            try await db.insert(into: "health_checks").columns("at", "instance", "document")
                .values(
                    SQLBind(Timestamp.milliseconds(check.at)), SQLBind(check.instance), SQLBind(document)
                ).run()
        }
    }

    /// The checks made from `start` up to (not including) `end`, oldest first.
    public func healthChecks(from start: Date, to end: Date) async throws -> [HealthCheck] {
        let documents = try await database.read { db in
            try await db.select().column("document").from("health_checks")
                .where("at", .greaterThanOrEqual, Timestamp.milliseconds(start))
                .where("at", .lessThan, Timestamp.milliseconds(end))
                .orderBy("at").orderBy("instance")
                .all().map { try $0.decode(column: "document", as: String.self) }
        }
        return try documents.map { try StoreCoding.decode(HealthCheck.self, from: $0) }
    }
}
