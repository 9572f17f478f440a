import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// A day's monitoring figures (`MonitoringFigures`, defined over entries by `tally`) as SQL aggregates over the
    /// columns of migration 11, each read from a covering index (migration 31): every server instance runs this
    /// check every five minutes, and reading the rows (tens of thousands at a million complaints) took seconds.
    public func monitoringFigures(for span: MonitoringReport.Span) async throws -> MonitoringFigures {
        let dayStart = Timestamp.milliseconds(span.dayStart)
        let dayEnd = Timestamp.milliseconds(span.dayEnd)
        let windowStart = Timestamp.milliseconds(span.windowStart)
        let listed = MonitoringFigures.listed
        // `tally`'s `metResolution`: resolved by the deadline, or closed without one.
        let met = "(COALESCE(resolution_late, 1) = 0 OR (resolution_due_at IS NULL AND closed_at IS NOT NULL))"
        // The closure base in two parts that never overlap, so each reads one index alone: closed in the window,
        // and resolution due in the window but not closed in it.
        let closedInWindow = SQLQueryString(
            "closed_at >= \(bind: windowStart) AND closed_at < \(bind: dayEnd)")
        let dueInWindow = SQLQueryString(
            """
            resolution_due_at >= \(bind: windowStart) AND resolution_due_at < \(bind: dayEnd)
            AND (closed_at IS NULL OR closed_at < \(bind: windowStart) OR closed_at >= \(bind: dayEnd))
            """)
        let ratedInWindow = SQLQueryString(
            """
            verified_at >= \(bind: windowStart) AND verified_at < \(bind: dayEnd) AND satisfaction IS NOT NULL
            """)
        return try await database.analysis { db in
            func count(_ condition: SQLQueryString, metToo: Bool = false) async throws -> (all: Int, met: Int) {
                let sums = metToo ? ", COALESCE(SUM(CASE WHEN \(met) THEN 1 ELSE 0 END), 0) AS met" : ""
                let row = try await db.raw(
                    "SELECT COUNT(*) AS n\(unsafeRaw: sums) FROM complaints WHERE " + condition
                ).first()
                return (
                    try row?.decode(column: "n", as: Int.self) ?? 0,
                    metToo ? try row?.decode(column: "met", as: Int.self) ?? 0 : 0
                )
            }
            func numbers(_ conditions: [SQLQueryString]) async throws -> [String] {
                var query = SQLQueryString("")
                for (index, condition) in conditions.enumerated() {
                    query =
                        query + (index == 0 ? "" : " UNION ALL ") + "SELECT number FROM complaints WHERE "
                        + condition
                }
                query =
                    "SELECT number FROM (" + query + ") AS listed ORDER BY number LIMIT \(unsafeRaw: String(listed))"
                return try await db.raw(query).all().map { try $0.decode(column: "number", as: String.self) }
            }
            let received = try await count("received_at >= \(bind: dayStart) AND received_at < \(bind: dayEnd)")
            let closed = try await count(
                "closed_at >= \(bind: dayStart) AND closed_at < \(bind: dayEnd)", metToo: true)
            let closedInBase = try await count(closedInWindow, metToo: true)
            let dueInBase = try await count(dueInWindow, metToo: true)
            let notMet = SQLQueryString(" AND NOT \(unsafeRaw: met)")
            let missed = try await numbers([closedInWindow + notMet, dueInWindow + notMet])
            var ratings = [Int](repeating: 0, count: 5)
            for row in try await db.raw(
                "SELECT satisfaction, COUNT(*) AS n FROM complaints WHERE " + ratedInWindow + " GROUP BY satisfaction"
            ).all() {
                let score = try row.decode(column: "satisfaction", as: Int.self)
                if (1...5).contains(score) { ratings[score - 1] = try row.decode(column: "n", as: Int.self) }
            }
            let unhappy = ratedInWindow + " AND satisfaction <= 2"
            let firstResponse = SQLQueryString("due_first_response < \(bind: dayEnd)")
            let base = closedInBase.all + dueInBase.all
            let inTime = closedInBase.met + dueInBase.met
            return MonitoringFigures(
                receivedOnDay: received.all, closedOnDay: closed.all, closedOnDayInTime: closed.met,
                closureBase: base, closureInTime: inTime,
                missed: .init(count: base - inTime, numbers: missed), ratings: ratings,
                unhappy: .init(count: ratings[0] + ratings[1], numbers: try await numbers([unhappy])),
                firstResponseOverdue: .init(
                    count: try await count(firstResponse).all, numbers: try await numbers([firstResponse])),
                firstContactOverdue: try await count("due_first_contact < \(bind: dayEnd)").all,
                overdue: try await count("next_due_at < \(bind: dayEnd)").all)
        }
    }
}
