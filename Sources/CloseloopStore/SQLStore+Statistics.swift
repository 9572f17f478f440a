import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// The rows of `complaints` a figure counts: received in [`start`, `end`), in `scope`. Every query below filters on
    /// it, so each walks the received-at range of `complaints_period` (a covering index) and never a document.
    static func periodCondition(_ start: Date, _ end: Date, _ scope: StatisticsScope) -> SQLQueryString {
        let from = Timestamp.milliseconds(start)
        let to = Timestamp.milliseconds(end)
        var condition = SQLQueryString("received_at >= \(bind: from) AND received_at < \(bind: to)")
        if let department = scope.department {
            condition = SQLQueryString("\(condition) AND department = \(bind: department.rawValue)")
        }
        return condition
    }

    /// The statistics of the complaints received in [`start`, `end`) within `scope`, and the penalties written then,
    /// summed in SQL: the cost grows with the period's complaints, not with the table.
    /// `withBreakdowns: false` sums the totals and penalties only: the comparison periods of a dashboard need no more,
    /// and the breakdowns are most of the work.
    public func statistics(
        from start: Date, to end: Date, scope: StatisticsScope = .company, withBreakdowns: Bool = true
    ) async throws -> ComplaintStatistics {
        let period = Self.periodCondition(start, end, scope)
        return try await database.read { db in
            let totals =
                try await db.raw(
                    SQLQueryString("SELECT \(unsafeRaw: ComplaintMeasures.selectList) FROM complaints WHERE \(period)")
                ).first().map(ComplaintMeasures.init(row:)) ?? ComplaintMeasures()
            var clocks: [ClockKind: ClockTally] = [:]
            if withBreakdowns,
                let row = try await db.raw(
                    SQLQueryString("SELECT \(unsafeRaw: ClockOutcomes.selectList) FROM complaints WHERE \(period)")
                ).first()
            {
                clocks = try ClockOutcomes.tallies(row: row)
            }
            var grouped: [ComplaintStatistics.Dimension: [(key: String, count: Int)]] = [:]
            for dimension in ComplaintStatistics.Dimension.allCases where withBreakdowns {
                // One grouped walk per dimension: a UNION of them would repeat the period's bindings seven times.
                let rows = try await db.raw(
                    """
                    SELECT \(unsafeRaw: dimension.expression) AS value, COUNT(*) AS n FROM complaints
                    WHERE \(period) GROUP BY \(unsafeRaw: dimension.expression)
                    """
                ).all()
                grouped[dimension] = try rows.map { row in
                    (
                        key: try row.decode(column: "value", as: String?.self) ?? "",
                        count: Int(try row.decode(column: "n", as: Int64.self))
                    )
                }
            }
            var breakdowns: [ComplaintStatistics.Dimension: ComplaintStatistics.Breakdown] = [:]
            for dimension in ComplaintStatistics.Dimension.allCases {
                breakdowns[dimension] = ComplaintStatistics.Breakdown(grouped[dimension] ?? [])
            }
            var penaltyCondition = SQLQueryString(
                "at >= \(bind: Timestamp.milliseconds(start)) AND at < \(bind: Timestamp.milliseconds(end))")
            if let department = scope.department {
                penaltyCondition = SQLQueryString("\(penaltyCondition) AND department = \(bind: department.rawValue)")
            }
            let penalties = try await db.raw(
                """
                SELECT department, COUNT(*) AS entries,
                    CAST(COALESCE(SUM(CASE WHEN waived_at IS NULL THEN amount_minor ELSE 0 END), 0) AS BIGINT) AS total,
                    COALESCE(SUM(CASE WHEN waived_at IS NULL THEN 0 ELSE 1 END), 0) AS waived
                FROM penalties WHERE \(penaltyCondition)
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
                from: start, to: end, scope: scope, totals: totals, breakdowns: breakdowns, penalties: penalties,
                clocks: clocks)
        }
    }

    /// How many complaints in `scope` were received in each half hour of [`start`, `end`) that had any, by the half
    /// hour's start; the caller folds them into the business calendar's days (half hours, so that zones a half hour
    /// off the hour fold right too).
    public func receivedPerHalfHour(from start: Date, to end: Date, scope: StatisticsScope = .company) async throws
        -> [(start: Date, count: Int)]
    {
        let period = Self.periodCondition(start, end, scope)
        return try await database.read { db in
            try await db.raw(
                """
                SELECT received_at / 1800000 AS slot, COUNT(*) AS n FROM complaints WHERE \(period)
                GROUP BY received_at / 1800000 ORDER BY slot
                """
            ).all().map { row in
                (
                    start: Date(timeIntervalSince1970: Double(try row.decode(column: "slot", as: Int64.self)) * 1800),
                    count: Int(try row.decode(column: "n", as: Int64.self))
                )
            }
        }
    }

    /// How long the complaints in `scope` received in [`start`, `end`) and closed since took to close: how many fall
    /// under each of `edges` hours (ascending) and how many beyond the last, one count per bucket.
    public func hoursToClose(
        from start: Date, to end: Date, scope: StatisticsScope = .company, edges: [Int]
    ) async throws -> [Int] {
        let period = Self.periodCondition(start, end, scope)
        let cases = edges.enumerated().map { "WHEN closed_at - received_at < \(Int64($1) * 3_600_000) THEN \($0)" }
        let bucket = "CASE " + cases.joined(separator: " ") + " ELSE \(edges.count) END"
        return try await database.read { db in
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for row in try await db.raw(
                """
                SELECT \(unsafeRaw: bucket) AS bucket, COUNT(*) AS n FROM complaints
                WHERE \(period) AND closed_at IS NOT NULL GROUP BY \(unsafeRaw: bucket)
                """
            ).all() {
                let index = Int(try row.decode(column: "bucket", as: Int64.self))
                if counts.indices.contains(index) { counts[index] = Int(try row.decode(column: "n", as: Int64.self)) }
            }
            return counts
        }
    }

    /// How much of its allowance `clock` used in the complaints in `scope` received in [`start`, `end`) whose clock
    /// has stopped and was measured: how many fall under each of `edges` percent (ascending) and how many beyond.
    public func allowanceUsed(
        _ clock: AllowanceClock, from start: Date, to end: Date, scope: StatisticsScope = .company, edges: [Int]
    ) async throws -> [Int] {
        let period = Self.periodCondition(start, end, scope)
        let column = clock.column
        let cases = edges.enumerated().map { "WHEN \(column) <= \($1) THEN \($0)" }
        let bucket = "CASE " + cases.joined(separator: " ") + " ELSE \(edges.count) END"
        return try await database.read { db in
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for row in try await db.raw(
                """
                SELECT \(unsafeRaw: bucket) AS bucket, COUNT(*) AS n FROM complaints
                WHERE \(period) AND \(ident: column) IS NOT NULL GROUP BY \(unsafeRaw: bucket)
                """
            ).all() {
                let index = Int(try row.decode(column: "bucket", as: Int64.self))
                if counts.indices.contains(index) { counts[index] = Int(try row.decode(column: "n", as: Int64.self)) }
            }
            return counts
        }
    }

    /// The league table of the complaints in `scope` received in [`start`, `end`): the measures per department or per
    /// owner, unranked (ranking is the reader's choice of measure).
    public func league(
        from start: Date, to end: Date, scope: StatisticsScope = .company, by grouping: LeagueGrouping
    ) async throws -> [LeagueLine] {
        let period = Self.periodCondition(start, end, scope)
        let column = grouping.rawValue
        return try await database.read { db in
            try await db.raw(
                """
                SELECT \(ident: column) AS league_key, \(unsafeRaw: ComplaintMeasures.selectList)
                FROM complaints WHERE \(period) GROUP BY \(ident: column)
                """
            ).all().map { row in
                LeagueLine(
                    key: try row.decode(column: "league_key", as: String?.self),
                    measures: try ComplaintMeasures(row: row))
            }
        }
    }
}

/// What a league table ranks.
public enum LeagueGrouping: String, Sendable, CaseIterable {
    case department, owner
}

extension SQLStore {
    /// The complaints in `scope` received in [`start`, `end`) per category and product, most first (at most `limit`).
    public func categoryProductCounts(
        from start: Date, to end: Date, scope: StatisticsScope = .company, limit: Int = 20
    ) async throws -> [(category: String?, product: String?, count: Int)] {
        let period = Self.periodCondition(start, end, scope)
        return try await database.read { db in
            try await db.raw(
                """
                SELECT category, product, COUNT(*) AS n FROM complaints WHERE \(period)
                GROUP BY category, product ORDER BY n DESC, category, product LIMIT \(literal: limit)
                """
            ).all().map { row in
                (
                    category: try row.decode(column: "category", as: String?.self),
                    product: try row.decode(column: "product", as: String?.self),
                    count: Int(try row.decode(column: "n", as: Int64.self))
                )
            }
        }
    }

    /// How many complaints in `scope` received in [`start`, `end`) have each category and product of `pairs`.
    public func categoryProductCounts(
        from start: Date, to end: Date, scope: StatisticsScope = .company, of pairs: [(String?, String?)]
    ) async throws -> [Int] {
        let all = try await categoryProductCounts(from: start, to: end, scope: scope, limit: 100_000)
        return pairs.map { pair in all.first { $0.category == pair.0 && $0.product == pair.1 }?.count ?? 0 }
    }

    /// The subjects and descriptions of the complaints in `scope` received in [`start`, `end`), newest first, at most
    /// `limit`: the texts the recurring phrases are counted in.
    public func texts(from start: Date, to end: Date, scope: StatisticsScope = .company, limit: Int) async throws
        -> [String]
    {
        let period = Self.periodCondition(start, end, scope)
        return try await database.read { db in
            try await db.raw(
                """
                SELECT subject, description FROM complaints WHERE \(period)
                ORDER BY received_at DESC LIMIT \(literal: limit)
                """
            ).all().map { row in
                try row.decode(column: "subject", as: String.self) + "\n"
                    + row.decode(column: "description", as: String.self)
            }
        }
    }
}
