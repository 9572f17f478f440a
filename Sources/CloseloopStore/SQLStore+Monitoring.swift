import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// The complaints a day's monitoring report counts (`MonitoringReport.Span`), as the report's entries, read from
    /// the columns of migration 11 through one index per condition: a check costs what the day holds, not months of
    /// documents.
    public func monitoringEntries(for span: MonitoringReport.Span) async throws -> [MonitoringReport.Entry] {
        let dayStart = Timestamp.milliseconds(span.dayStart)
        let dayEnd = Timestamp.milliseconds(span.dayEnd)
        let windowStart = Timestamp.milliseconds(span.windowStart)
        let columns = """
            SELECT number, received_at, closed_at, resolution_due_at, resolution_late, verified_at, satisfaction,
                due_first_response, due_first_contact, next_due_at FROM complaints WHERE
            """
        // UNION rather than OR: each part keeps its own index on both dialects, and a complaint in several parts
        // comes once (its number is unique). Any running clock's deadline is at or after `next_due_at`, so the last
        // part finds every overdue first response and first contact too.
        let query = SQLQueryString(
            """
            \(unsafeRaw: columns) received_at >= \(bind: dayStart) AND received_at < \(bind: dayEnd)
            UNION \(unsafeRaw: columns) closed_at >= \(bind: windowStart) AND closed_at < \(bind: dayEnd)
            UNION \(unsafeRaw: columns) resolution_due_at >= \(bind: windowStart) AND resolution_due_at < \(bind: dayEnd)
            UNION \(unsafeRaw: columns) verified_at >= \(bind: windowStart) AND verified_at < \(bind: dayEnd)
            UNION \(unsafeRaw: columns) next_due_at < \(bind: dayEnd)
            """)
        return try await database.read { db in
            try await db.raw(query).all().map { row in
                func instant(_ column: String) throws -> Date? {
                    try row.decode(column: column, as: Int64?.self).map(Timestamp.date)
                }
                return MonitoringReport.Entry(
                    number: try row.decode(column: "number", as: String.self),
                    receivedAt: Timestamp.date(try row.decode(column: "received_at", as: Int64.self)),
                    closedAt: try instant("closed_at"),
                    resolutionDueAt: try instant("resolution_due_at"),
                    resolvedInTime: try row.decode(column: "resolution_late", as: Int?.self) == 0,
                    verifiedAt: try instant("verified_at"),
                    satisfaction: try row.decode(column: "satisfaction", as: Int?.self),
                    firstResponseDueAt: try instant("due_first_response"),
                    firstContactDueAt: try instant("due_first_contact"), nextDueAt: try instant("next_due_at"))
            }
        }
    }
}
