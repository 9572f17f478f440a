import CloseloopCore
import Foundation
import SQLKit

/// The statistics rollup (`statistics_days`, migration 20): per business day and scope, the sums of every figure a
/// dashboard, league table or hotspot list reads, so a year is a few thousand small rows instead of every complaint
/// received in it. Every write of a complaint marks the quarter hour it was received in (`statistics_changes`; every
/// time zone's days begin on a quarter hour); a day holding a marked quarter hour is summed live until `rollUp` recomputes it, which clears its marks in the same transaction. A figure
/// is therefore the same whether its days are rolled up or not, and a crash loses no mark.
extension SQLStore {
    /// What a rollup row counts under: the company (`""`) or one department (`d:<id>`, `d:` for none yet).
    static func rollupScope(_ scope: StatisticsScope) -> String {
        scope.department.map { "d:\($0.rawValue)" } ?? ""
    }

    /// The quarter hour of an instant, as the change marks count it (UTC quarter hours since 1970).
    static func changeSlot(_ instant: Date) -> Int64 { Timestamp.milliseconds(instant) / slotMilliseconds }

    static let slotMilliseconds: Int64 = 900_000

    /// Marks the quarter hour `receivedAt` falls in as changed, inside the write that changed a complaint received then.
    static func markChanged(receivedAt: Date, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO statistics_changes (slot) VALUES (\(bind: changeSlot(receivedAt))) ON CONFLICT (slot) DO NOTHING
            """
        ).run()
    }

    /// Up to `limit` marked quarter hours, earliest first, as the instants they start at: what the refresher rolls up
    /// next.
    public func changedSlots(limit: Int) async throws -> [Date] {
        try await database.read { db in
            try await db.raw("SELECT slot FROM statistics_changes ORDER BY slot LIMIT \(bind: limit)").all().map {
                Date(
                    timeIntervalSince1970: Double(try $0.decode(column: "slot", as: Int64.self) * Self.slotMilliseconds)
                        / 1000)
            }
        }
    }

    /// How many quarter hours are marked: the rollup's backlog.
    public func changedSlotCount() async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM statistics_changes").first()?.decode(column: "n", as: Int.self)
                ?? 0
        }
    }

    /// The time zone the rollup's days were cut in, nil before the first rollup.
    public func rollupZone() async throws -> String? {
        try await database.read { db in
            try await db.raw("SELECT value FROM statistics_meta WHERE key = 'zone'").first()?
                .decode(column: "value", as: String.self)
        }
    }

    /// Drops every rolled-up day and marks every quarter hour with a complaint, to be rolled up again in `zone`'s days (the
    /// business calendar's zone changed, or the rollup is new).
    public func resetRollup(zone: String) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM statistics_days").run()
            try await db.raw(
                """
                INSERT INTO statistics_changes (slot) SELECT DISTINCT received_at / 900000 FROM complaints WHERE true
                ON CONFLICT (slot) DO NOTHING
                """
            ).run()
            try await db.raw("DELETE FROM statistics_meta WHERE key = 'zone'").run()
            try await db.raw("INSERT INTO statistics_meta (key, value) VALUES ('zone', \(bind: zone))").run()
        }
    }

    /// Recomputes `day` from the complaints received in it and clears the marks of the quarter hours it covers, in one
    /// transaction: a write committed after the marks were cleared marks its quarter hour again.
    public func rollUp(_ day: StatisticsDays.Day) async throws {
        let range = SQLQueryString(
            "received_at >= \(bind: Timestamp.milliseconds(day.start)) AND received_at < \(bind: Timestamp.milliseconds(day.end))"
        )
        let firstSlot = Self.changeSlot(day.start)
        let lastSlot = Self.changeSlot(day.end.addingTimeInterval(-0.001))
        try await database.transaction { db in
            // Only quarter hours wholly inside the day are cleared (every zone's days begin on one, so that is all).
            let clearFrom = Timestamp.milliseconds(day.start) % Self.slotMilliseconds == 0 ? firstSlot : firstSlot + 1
            let clearTo = Timestamp.milliseconds(day.end) % Self.slotMilliseconds == 0 ? lastSlot : lastSlot - 1
            if clearFrom <= clearTo {
                try await db.raw(
                    "DELETE FROM statistics_changes WHERE slot >= \(bind: clearFrom) AND slot <= \(bind: clearTo)"
                ).run()
            }
            try await db.raw("DELETE FROM statistics_days WHERE day = \(bind: day.number)").run()
            // Each department's sums and the company's, which are theirs added up.
            var sums: [RollupKey: MeasureSums] = [:]
            func add(_ department: String, _ dimension: String, _ value: String, _ more: MeasureSums) {
                sums[RollupKey(scope: "d:\(department)", dimension: dimension, value: value), default: MeasureSums()] +=
                    more
                sums[RollupKey(scope: "", dimension: dimension, value: value), default: MeasureSums()] += more
            }
            for dimension in RollupDimension.allCases {
                for row in try await db.raw(
                    """
                    SELECT department, \(unsafeRaw: dimension.valueExpression) AS value,
                        \(unsafeRaw: MeasureSums.liveSelectList)
                    FROM complaints WHERE \(range)\(unsafeRaw: dimension.filter.map { " AND \($0)" } ?? "")
                    GROUP BY department\(unsafeRaw: dimension.grouping.map { ", \($0)" } ?? "")
                    """
                ).all() {
                    add(
                        try row.decode(column: "department", as: String?.self) ?? "", dimension.rawValue,
                        try row.decode(column: "value", as: String?.self) ?? "", try MeasureSums(row: row))
                }
            }
            for row in try await db.raw(
                "SELECT department, \(unsafeRaw: ClockOutcomes.selectList) FROM complaints WHERE \(range) GROUP BY department"
            ).all() {
                let department = try row.decode(column: "department", as: String?.self) ?? ""
                for (clock, tally) in try ClockOutcomes.tallies(row: row) {
                    for (outcome, count) in [("met", tally.met), ("missed", tally.missed)] where count > 0 {
                        add(
                            department, RollupDimension.clock, "\(clock.rawValue):\(outcome)",
                            MeasureSums(received: Int64(count)))
                    }
                }
            }
            let rows: [[any SQLExpression]] = sums.map { key, sums in
                [SQLBind(day.number), SQLBind(key.scope), SQLBind(key.dimension), SQLBind(key.value)]
                    + sums.values.map { SQLBind($0) }
            }
            let columns = ["day", "scope", "dimension", "value"] + MeasureSums.columns.map(\.name)
            var start = 0
            while start < rows.count {
                let end = min(start + 1000, rows.count)
                let insert = db.insert(into: "statistics_days").columns(columns)
                for row in rows[start..<end] { _ = insert.values(row) }
                try await insert.run()
                start = end
            }
        }
    }
}

/// One row of the rollup within a day.
private struct RollupKey: Hashable {
    var scope: String
    var dimension: String
    var value: String
}

/// What the rollup groups a day's complaints by, each with the SQL of its value (text; NULL read as ""). `total` has
/// one value; `department` and `owner` carry every measure for the league tables; the rest are counted for the
/// breakdowns, the hotspots and the distributions. The clocks' tallies are kept under `clock`, valued
/// "<clock>:met" or "<clock>:missed".
enum RollupDimension: String, CaseIterable {
    case total, department, owner, channel, category, subcategory, product, severity, priority, kind, state
    case closeHours = "close_hours", firstResponseUsed = "first_response_used", resolutionUsed = "resolution_used"
    case categoryProduct = "category_product"

    static let clock = "clock"

    /// What is grouped by, besides the department; nil for the total.
    var grouping: String? {
        switch self {
        case .total: nil
        case .subcategory: "category, subcategory"
        case .categoryProduct: "category, product"
        case .closeHours: StatisticsBuckets.closeHoursCase
        case .firstResponseUsed: StatisticsBuckets.usedCase("first_response_used")
        case .resolutionUsed: StatisticsBuckets.usedCase("resolution_used")
        default: rawValue
        }
    }

    /// The value of a group, as text.
    var valueExpression: String {
        switch self {
        case .total: "CAST('' AS TEXT)"
        // Two categories may share a subcategory's code; a category's code has no white space, so a tab parts them.
        case .subcategory: "CASE WHEN subcategory IS NULL THEN NULL ELSE category || '/' || subcategory END"
        case .categoryProduct: "COALESCE(category, '') || '\t' || COALESCE(product, '')"
        default: "CAST(\(grouping!) AS TEXT)"
        }
    }

    /// Which complaints count at all.
    var filter: String? {
        switch self {
        case .closeHours: "closed_at IS NOT NULL"
        case .firstResponseUsed: "first_response_used IS NOT NULL"
        case .resolutionUsed: "resolution_used IS NOT NULL"
        default: nil
        }
    }
}

/// The buckets of the distributions the dashboards draw: hours from receipt to closing, and the share of its time
/// limit a clock used. Fixed here because the rollup counts by them; changing them means rolling every day up again.
public enum StatisticsBuckets {
    /// Hours: under 4 h, a day, 3, 5 and 10 days, and beyond.
    public static let closeHours = [4, 24, 72, 120, 240]
    /// Percent of the time limit: up to half, within it, up to half again late, up to twice, and beyond.
    public static let usedPercent = [50, 100, 150, 200]

    static var closeHoursCase: String {
        "CASE "
            + closeHours.enumerated().map { "WHEN closed_at - received_at < \(Int64($1) * 3_600_000) THEN \($0)" }
            .joined(separator: " ") + " ELSE \(closeHours.count) END"
    }

    static func usedCase(_ column: String) -> String {
        "CASE " + usedPercent.enumerated().map { "WHEN \(column) <= \($1) THEN \($0)" }.joined(separator: " ")
            + " ELSE \(usedPercent.count) END"
    }
}
