import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// Complaints closed in [`start`, `end`) (by `department` when given) that no spot check has drawn yet: the pool a
    /// sample is drawn from. Read from the closed-at index.
    public func spotCheckPool(from start: Date, to end: Date, department: DepartmentID?) async throws
        -> [ComplaintRecord]
    {
        let rows = try await database.read { db in
            var condition = SQLQueryString(
                """
                closed_at >= \(bind: Timestamp.milliseconds(start)) AND closed_at < \(bind: Timestamp.milliseconds(end))
                AND id NOT IN (SELECT complaint_id FROM spot_checks)
                """)
            if let department {
                condition = SQLQueryString("\(condition) AND department = \(bind: department.rawValue)")
            }
            return try await db.raw(
                "SELECT \(unsafeRaw: StoredDocument.columns.joined(separator: ", ")) FROM complaints WHERE \(condition) ORDER BY id"
            ).all().map(StoredDocument.init)
        }
        return try rows.map { try decoded.record($0) }
    }

    /// Saves a spot check (drawn or scored).
    public func save(_ check: SpotCheck) async throws {
        let scores = String(decoding: try JSONEncoder().encode(check.scores), as: UTF8.self)
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO spot_checks (complaint_id, number, department, owner, period, drawn_at, drawn_by, scores, total,
                    note, checked_by, checked_at)
                VALUES (\(bind: check.complaintID.rawValue), \(bind: check.number), \(bind: check.department?.rawValue),
                    \(bind: check.owner?.rawValue), \(bind: check.period), \(bind: Timestamp.milliseconds(check.drawnAt)),
                    \(bind: check.drawnBy.rawValue), \(bind: scores), \(bind: check.total), \(bind: check.note),
                    \(bind: check.checkedBy?.rawValue), \(bind: check.checkedAt.map(Timestamp.milliseconds)))
                ON CONFLICT (complaint_id) DO UPDATE SET scores = excluded.scores, total = excluded.total,
                    note = excluded.note, checked_by = excluded.checked_by, checked_at = excluded.checked_at
                """
            ).run()
        }
    }

    /// The checks drawn for `period`, by department when given, in number order.
    public func spotChecks(period: String, department: DepartmentID?) async throws -> [SpotCheck] {
        try await database.read { db in
            let select = db.select().column("*").from("spot_checks").where("period", .equal, period)
            if let department { select.where("department", .equal, department.rawValue) }
            return try await select.orderBy("number").all().map(Self.decodeSpotCheck)
        }
    }

    /// One check by its complaint's number.
    public func spotCheck(number: String) async throws -> SpotCheck? {
        try await database.read { db in
            try await db.select().column("*").from("spot_checks").where("number", .equal, number).first()
                .map(Self.decodeSpotCheck)
        }
    }

    /// The mean score and count of the scored checks drawn for `period`, per department or owner.
    public func spotCheckScores(period: String, by grouping: LeagueGrouping) async throws -> [String?: (
        mean: Double, count: Int
    )] {
        try await database.read { db in
            var scores: [String?: (mean: Double, count: Int)] = [:]
            for row in try await db.raw(
                """
                SELECT \(ident: grouping.rawValue) AS league_key, CAST(AVG(total * 1.0) AS DOUBLE PRECISION) AS mean,
                    COUNT(*) AS n
                FROM spot_checks WHERE period = \(bind: period) AND total IS NOT NULL GROUP BY \(ident: grouping.rawValue)
                """
            ).all() {
                scores[try row.decode(column: "league_key", as: String?.self)] = (
                    try row.decode(column: "mean", as: Double.self), Int(try row.decode(column: "n", as: Int64.self))
                )
            }
            return scores
        }
    }

    static func decodeSpotCheck(_ row: any SQLRow) throws -> SpotCheck {
        let scores = try JSONDecoder().decode(
            [String: Int].self, from: Data(try row.decode(column: "scores", as: String.self).utf8))
        return SpotCheck(
            complaintID: ComplaintID(try row.decode(column: "complaint_id", as: String.self)),
            number: try row.decode(column: "number", as: String.self),
            department: try row.decode(column: "department", as: String?.self).map { DepartmentID($0) },
            owner: try row.decode(column: "owner", as: String?.self).map { UserID($0) },
            period: try row.decode(column: "period", as: String.self),
            drawnAt: Timestamp.date(try row.decode(column: "drawn_at", as: Int64.self)),
            drawnBy: UserID(try row.decode(column: "drawn_by", as: String.self)), scores: scores,
            total: try row.decode(column: "total", as: Int?.self),
            note: try row.decode(column: "note", as: String.self),
            checkedBy: try row.decode(column: "checked_by", as: String?.self).map { UserID($0) },
            checkedAt: try row.decode(column: "checked_at", as: Int64?.self).map(Timestamp.date))
    }
}
