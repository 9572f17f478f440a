import CloseloopCore
import Foundation
import SQLKit

/// Which days of a figure are read from the rollup and which are summed live from the complaints: a day holding an
/// quarter hour marked as changed is live until it is rolled up again (`SQLStore+StatisticsRollup`).
struct RollupPartition {
    var days: StatisticsDays
    var scope: StatisticsScope
    var live: [StatisticsDays.Day]

    /// The rollup rows of `dimension` for the rolled-up days in scope.
    func rolled(_ dimension: String) -> SQLQueryString {
        var condition = SQLQueryString(
            """
            scope = \(bind: SQLStore.rollupScope(scope)) AND dimension = \(bind: dimension)
            AND day >= \(bind: days.first) AND day <= \(bind: days.last)
            """)
        if !live.isEmpty {
            condition = SQLQueryString(
                "\(condition) AND day NOT IN (\(unsafeRaw: live.map { String($0.number) }.joined(separator: ", ")))")
        }
        return condition
    }

    /// The complaints of the live days in scope, nil when every day is rolled up.
    var liveCondition: SQLQueryString? {
        guard !live.isEmpty else { return nil }
        // Consecutive live days are one range of the received-at index.
        var ranges: [(Date, Date)] = []
        for day in live {
            if let last = ranges.last, last.1 == day.start {
                ranges[ranges.count - 1].1 = day.end
            } else {
                ranges.append((day.start, day.end))
            }
        }
        var condition = SQLQueryString("(")
        for (index, range) in ranges.enumerated() {
            if index > 0 { condition = SQLQueryString("\(condition) OR ") }
            condition = SQLQueryString(
                """
                \(condition)(received_at >= \(bind: Timestamp.milliseconds(range.0)) \
                AND received_at < \(bind: Timestamp.milliseconds(range.1)))
                """)
        }
        condition = SQLQueryString("\(condition))")
        if let department = scope.department {
            condition = SQLQueryString("\(condition) AND department = \(bind: department.rawValue)")
        }
        return condition
    }
}

extension SQLStore {
    /// Reads which of `days` are live: those sharing a quarter hour with a change not rolled up yet.
    static func partition(_ days: StatisticsDays, _ scope: StatisticsScope, on db: any SQLDatabase) async throws
        -> RollupPartition
    {
        let slots = try await db.raw(
            """
            SELECT slot FROM statistics_changes
            WHERE slot >= \(bind: changeSlot(days.start)) AND slot <= \(bind: changeSlot(days.end.addingTimeInterval(-0.001)))
            ORDER BY slot
            """
        ).all().map { try $0.decode(column: "slot", as: Int64.self) }
        var live: [StatisticsDays.Day] = []
        var index = 0
        // Both in order: each day is live when a marked quarter hour overlaps it.
        for day in days.days {
            let first = Timestamp.milliseconds(day.start)
            let end = Timestamp.milliseconds(day.end)
            while index < slots.count && (slots[index] + 1) * slotMilliseconds <= first { index += 1 }
            if index < slots.count && slots[index] * slotMilliseconds < end { live.append(day) }
        }
        return RollupPartition(days: days, scope: scope, live: live)
    }

    /// The sums of each value of `dimension` over `days` in `scope`: rolled-up days from the rollup, the rest live.
    static func sums(_ dimension: RollupDimension, _ partition: RollupPartition, on db: any SQLDatabase) async throws
        -> [String: MeasureSums]
    {
        var sums: [String: MeasureSums] = [:]
        for row in try await db.raw(
            """
            SELECT value, \(unsafeRaw: MeasureSums.rollupSelectList) FROM statistics_days
            WHERE \(partition.rolled(dimension.rawValue)) GROUP BY value
            """
        ).all() {
            sums[try row.decode(column: "value", as: String.self), default: MeasureSums()] += try MeasureSums(row: row)
        }
        guard let live = partition.liveCondition else { return sums }
        for row in try await db.raw(
            """
            SELECT \(unsafeRaw: dimension.valueExpression) AS value, \(unsafeRaw: MeasureSums.liveSelectList)
            FROM complaints WHERE \(live)\(unsafeRaw: dimension.filter.map { " AND \($0)" } ?? "")
            \(unsafeRaw: dimension.grouping.map { "GROUP BY \($0)" } ?? "")
            """
        ).all() {
            let sum = try MeasureSums(row: row)
            guard sum.received > 0 else { continue }
            sums[try row.decode(column: "value", as: String?.self) ?? "", default: MeasureSums()] += sum
        }
        return sums
    }

    /// Counts per bucket index, as the distributions read them.
    static func buckets(_ sums: [String: MeasureSums], count: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: count)
        for (value, sum) in sums {
            if let index = Int(value), counts.indices.contains(index) { counts[index] += Int(sum.received) }
        }
        return counts
    }

    /// The statistics of the complaints received on `days` within `scope`, and the penalties written then: the days
    /// rolled up read from the rollup, the rest summed live, so the cost grows with the days, not the complaints.
    /// `withBreakdowns: false` sums the totals and penalties only: the comparison periods of a dashboard need no more.
    public func statistics(_ days: StatisticsDays, scope: StatisticsScope = .company, withBreakdowns: Bool = true)
        async throws -> ComplaintStatistics
    {
        let (totals, breakdowns, clocks) = try await database.analysis { db in
            let partition = try await Self.partition(days, scope, on: db)
            let totals = try await Self.sums(.total, partition, on: db)[""]?.measures ?? ComplaintMeasures()
            var breakdowns: [ComplaintStatistics.Dimension: ComplaintStatistics.Breakdown] = [:]
            var clocks: [ClockKind: ClockTally] = [:]
            for dimension in ComplaintStatistics.Dimension.allCases {
                guard withBreakdowns, let rollup = RollupDimension(rawValue: dimension.rawValue) else {
                    breakdowns[dimension] = ComplaintStatistics.Breakdown([])
                    continue
                }
                let sums = try await Self.sums(rollup, partition, on: db)
                breakdowns[dimension] = ComplaintStatistics.Breakdown(
                    sums.map { (key: $0.key, count: Int($0.value.received)) })
            }
            if withBreakdowns { clocks = try await Self.clockTallies(partition, on: db) }
            return (totals, breakdowns, clocks)
        }
        return ComplaintStatistics(
            from: days.start, to: days.end, scope: scope, totals: totals, breakdowns: breakdowns,
            penalties: try await penalties(from: days.start, to: days.end, scope: scope), clocks: clocks)
    }

    /// Every clock's met and missed cycles over the partition's days.
    static func clockTallies(_ partition: RollupPartition, on db: any SQLDatabase) async throws -> [ClockKind:
        ClockTally]
    {
        var tallies = Dictionary(uniqueKeysWithValues: ClockKind.allCases.map { ($0, ClockTally()) })
        for row in try await db.raw(
            """
            SELECT value, CAST(SUM(received) AS BIGINT) AS n FROM statistics_days
            WHERE \(partition.rolled(RollupDimension.clock)) GROUP BY value
            """
        ).all() {
            let parts = try row.decode(column: "value", as: String.self).split(separator: ":")
            guard parts.count == 2, let clock = ClockKind(rawValue: String(parts[0])) else { continue }
            let count = Int(try row.decode(column: "n", as: Int64.self))
            if parts[1] == "met" { tallies[clock]?.met += count } else { tallies[clock]?.missed += count }
        }
        if let live = partition.liveCondition,
            let row = try await db.raw(
                "SELECT \(unsafeRaw: ClockOutcomes.selectList) FROM complaints WHERE \(live)"
            ).first()
        {
            for (clock, tally) in try ClockOutcomes.tallies(row: row) {
                tallies[clock]?.met += tally.met
                tallies[clock]?.missed += tally.missed
            }
        }
        return tallies
    }

    /// The penalties written in [`start`, `end`) per department (only `scope`'s department when it has one).
    public func penalties(from start: Date, to end: Date, scope: StatisticsScope = .company) async throws
        -> [ComplaintStatistics.Penalties]
    {
        var condition = SQLQueryString(
            "at >= \(bind: Timestamp.milliseconds(start)) AND at < \(bind: Timestamp.milliseconds(end))")
        if let department = scope.department {
            condition = SQLQueryString("\(condition) AND department = \(bind: department.rawValue)")
        }
        let penalties = condition
        return try await database.analysis { db in
            try await db.raw(
                """
                SELECT department, COUNT(*) AS entries,
                    CAST(COALESCE(SUM(CASE WHEN waived_at IS NULL THEN amount_minor ELSE 0 END), 0) AS BIGINT) AS total,
                    COALESCE(SUM(CASE WHEN waived_at IS NULL THEN 0 ELSE 1 END), 0) AS waived
                FROM penalties WHERE \(penalties)
                GROUP BY department ORDER BY department
                """
            ).all().map { row in
                ComplaintStatistics.Penalties(
                    department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
                    entries: Int(try row.decode(column: "entries", as: Int64.self)),
                    amount: Money(minorUnits: try row.decode(column: "total", as: Int64.self)),
                    waived: Int(try row.decode(column: "waived", as: Int64.self)))
            }
        }
    }

    /// How many complaints in `scope` were received on each of `days`, by day number (days with none absent).
    public func receivedPerDay(_ days: StatisticsDays, scope: StatisticsScope = .company) async throws -> [Int: Int] {
        try await database.analysis { db in
            let partition = try await Self.partition(days, scope, on: db)
            var counts: [Int: Int] = [:]
            for row in try await db.raw(
                """
                SELECT day, CAST(SUM(received) AS BIGINT) AS n FROM statistics_days
                WHERE \(partition.rolled(RollupDimension.total.rawValue)) GROUP BY day
                """
            ).all() {
                counts[try row.decode(column: "day", as: Int.self)] = Int(try row.decode(column: "n", as: Int64.self))
            }
            guard let live = partition.liveCondition else { return counts }
            // Half hours fold into the live days whatever the zone's offset.
            let slots = try await db.raw(
                """
                SELECT received_at / 1800000 AS slot, COUNT(*) AS n FROM complaints WHERE \(live)
                GROUP BY received_at / 1800000 ORDER BY slot
                """
            ).all().map {
                (
                    start: try $0.decode(column: "slot", as: Int64.self) * 1_800_000,
                    count: try $0.decode(column: "n", as: Int.self)
                )
            }
            var dayIndex = 0
            for slot in slots {
                while dayIndex < partition.live.count
                    && Timestamp.milliseconds(partition.live[dayIndex].end) <= slot.start
                {
                    dayIndex += 1
                }
                guard dayIndex < partition.live.count else { break }
                counts[partition.live[dayIndex].number, default: 0] += slot.count
            }
            return counts
        }
    }

    /// How long the complaints in `scope` received on `days` and closed since took to close: one count per bucket of
    /// `StatisticsBuckets.closeHours`, and one beyond the last.
    public func hoursToClose(_ days: StatisticsDays, scope: StatisticsScope = .company) async throws -> [Int] {
        try await database.analysis { db in
            Self.buckets(
                try await Self.sums(.closeHours, try await Self.partition(days, scope, on: db), on: db),
                count: StatisticsBuckets.closeHours.count + 1)
        }
    }

    /// How much of its allowance `clock` used in the complaints in `scope` received on `days` whose clock has stopped
    /// and was measured: one count per bucket of `StatisticsBuckets.usedPercent`, and one beyond the last.
    public func allowanceUsed(_ clock: AllowanceClock, _ days: StatisticsDays, scope: StatisticsScope = .company)
        async throws -> [Int]
    {
        try await database.analysis { db in
            let partition = try await Self.partition(days, scope, on: db)
            let dimension: RollupDimension = clock == .firstResponse ? .firstResponseUsed : .resolutionUsed
            return Self.buckets(
                try await Self.sums(dimension, partition, on: db), count: StatisticsBuckets.usedPercent.count + 1)
        }
    }

    /// The league table of the complaints in `scope` received on `days`: the measures per department or per owner,
    /// unranked (ranking is the reader's choice of measure).
    public func league(_ days: StatisticsDays, scope: StatisticsScope = .company, by grouping: LeagueGrouping)
        async throws -> [LeagueLine]
    {
        try await database.analysis { db in
            let partition = try await Self.partition(days, scope, on: db)
            let dimension: RollupDimension = grouping == .department ? .department : .owner
            return try await Self.sums(dimension, partition, on: db).map { key, sums in
                LeagueLine(key: key.isEmpty ? nil : key, measures: sums.measures)
            }
        }
    }

    /// The complaints in `scope` received on `days` per category and product, most first (at most `limit`).
    public func categoryProductCounts(_ days: StatisticsDays, scope: StatisticsScope = .company, limit: Int = 20)
        async throws -> [(category: String?, product: String?, count: Int)]
    {
        let sums = try await database.analysis { db in
            try await Self.sums(.categoryProduct, try await Self.partition(days, scope, on: db), on: db)
        }
        let pairs = sums.map { value, sum in
            let parts = value.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let category = parts.first.flatMap { $0.isEmpty ? nil : $0 }
            let product = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
            return (category: category, product: product, count: Int(sum.received))
        }
        return Array(
            pairs.sorted { left, right in
                if left.count != right.count { return left.count > right.count }
                if left.category != right.category { return (left.category ?? "") < (right.category ?? "") }
                return (left.product ?? "") < (right.product ?? "")
            }.prefix(limit))
    }

    /// How many complaints in `scope` received on `days` have each category and product of `pairs`.
    public func categoryProductCounts(
        _ days: StatisticsDays, scope: StatisticsScope = .company, of pairs: [(String?, String?)]
    )
        async throws -> [Int]
    {
        let all = try await categoryProductCounts(days, scope: scope, limit: Int.max)
        return pairs.map { pair in all.first { $0.category == pair.0 && $0.product == pair.1 }?.count ?? 0 }
    }

    /// The subjects and descriptions of the complaints in `scope` received in [`start`, `end`), newest first, at most
    /// `limit`: the texts the recurring phrases are counted in.
    public func texts(from start: Date, to end: Date, scope: StatisticsScope = .company, limit: Int) async throws
        -> [String]
    {
        var condition = SQLQueryString(
            "received_at >= \(bind: Timestamp.milliseconds(start)) AND received_at < \(bind: Timestamp.milliseconds(end))"
        )
        if let department = scope.department {
            condition = SQLQueryString("\(condition) AND department = \(bind: department.rawValue)")
        }
        let period = condition
        return try await database.analysis { db in
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

/// What a league table ranks.
public enum LeagueGrouping: String, Sendable, CaseIterable {
    case department, owner
}
