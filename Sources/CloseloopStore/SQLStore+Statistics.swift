import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// The statistics of the complaints received in [`start`, `end`) and the penalties written then, summed in SQL
    /// over the received-at index: its cost grows with the period's complaints, not with the table.
    public func statistics(from start: Date, to end: Date) async throws -> ComplaintStatistics {
        let from = Timestamp.milliseconds(start)
        let to = Timestamp.milliseconds(end)
        return try await database.read { db in
            let period = SQLQueryString("received_at >= \(bind: from) AND received_at < \(bind: to)")
            let totals = try await db.raw(
                """
                SELECT COUNT(*) AS received,
                    COALESCE(SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS closed,
                    CAST(AVG(CASE WHEN closed_at IS NOT NULL THEN (closed_at - received_at) / 3600000.0 END) AS DOUBLE PRECISION)
                        AS hours,
                    COALESCE(SUM(CASE WHEN first_response_late = 0 THEN 1 ELSE 0 END), 0) AS fr_on_time,
                    COALESCE(SUM(CASE WHEN first_response_late = 1 THEN 1 ELSE 0 END), 0) AS fr_late,
                    COALESCE(SUM(CASE WHEN resolution_late = 0 THEN 1 ELSE 0 END), 0) AS res_on_time,
                    COALESCE(SUM(CASE WHEN resolution_late = 1 THEN 1 ELSE 0 END), 0) AS res_late,
                    COALESCE(SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END), 0) AS reopened,
                    COALESCE(SUM(is_repeat), 0) AS repeats,
                    COUNT(satisfaction) AS rated,
                    CAST(AVG(satisfaction * 1.0) AS DOUBLE PRECISION) AS rating,
                    COALESCE(SUM(CASE WHEN satisfaction <= 2 THEN 1 ELSE 0 END), 0) AS negative
                FROM complaints WHERE \(period)
                """
            ).first()
            func count(_ column: String) throws -> Int {
                Int(try totals?.decode(column: column, as: Int64?.self) ?? 0)
            }
            var breakdowns: [ComplaintStatistics.Dimension: ComplaintStatistics.Breakdown] = [:]
            let parts = ComplaintStatistics.Dimension.allCases.map { dimension in
                "SELECT '\(dimension.rawValue)' AS dimension, \(dimension.rawValue) AS value, COUNT(*) AS n "
                    + "FROM complaints WHERE received_at >= \(from) AND received_at < \(to) "
                    + "GROUP BY \(dimension.rawValue)"
            }
            var grouped: [ComplaintStatistics.Dimension: [(key: String, count: Int)]] = [:]
            // The bounds are integers this function made, so they are written into the union directly.
            for row in try await db.raw(SQLQueryString(parts.joined(separator: " UNION ALL "))).all() {
                guard
                    let dimension = ComplaintStatistics.Dimension(
                        rawValue: try row.decode(column: "dimension", as: String.self))
                else { continue }
                grouped[dimension, default: []].append(
                    (
                        key: try row.decode(column: "value", as: String?.self) ?? "",
                        count: Int(try row.decode(column: "n", as: Int64.self))
                    ))
            }
            for dimension in ComplaintStatistics.Dimension.allCases {
                breakdowns[dimension] = ComplaintStatistics.Breakdown(grouped[dimension] ?? [])
            }
            let penalties = try await db.raw(
                """
                SELECT department, COUNT(*) AS entries,
                    CAST(COALESCE(SUM(CASE WHEN waived_at IS NULL THEN amount_minor ELSE 0 END), 0) AS BIGINT) AS total,
                    COALESCE(SUM(CASE WHEN waived_at IS NULL THEN 0 ELSE 1 END), 0) AS waived
                FROM penalties WHERE at >= \(bind: from) AND at < \(bind: to)
                GROUP BY department ORDER BY department
                """
            ).all().map { row in
                ComplaintStatistics.Penalties(
                    department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
                    entries: Int(try row.decode(column: "entries", as: Int64.self)),
                    amount: Money(minorUnits: try row.decode(column: "total", as: Int64.self)),
                    waived: Int(try row.decode(column: "waived", as: Int64.self)))
            }
            return ComplaintStatistics(
                from: start, to: end, received: try count("received"), breakdowns: breakdowns,
                closed: try count("closed"), meanHoursToClose: try totals?.decode(column: "hours", as: Double?.self),
                firstResponseOnTime: try count("fr_on_time"), firstResponseLate: try count("fr_late"),
                resolutionOnTime: try count("res_on_time"), resolutionLate: try count("res_late"),
                reopened: try count("reopened"), repeats: try count("repeats"), rated: try count("rated"),
                meanRating: try totals?.decode(column: "rating", as: Double?.self), negative: try count("negative"),
                penalties: penalties)
        }
    }
}
