import Foundation
import SQLKit

/// `ComplaintMeasures` as sums, which add: a day's sums kept in the rollup plus the live sums of the days not yet
/// rolled up give the period's. The means (hours to close, rating) are divided out only at the end.
struct MeasureSums: Sendable, Equatable {
    var received: Int64 = 0
    var closed: Int64 = 0
    /// Milliseconds from receipt to closing, summed over the closed complaints.
    var closeMilliseconds: Int64 = 0
    var firstResponseOnTime: Int64 = 0
    var firstResponseLate: Int64 = 0
    var resolutionOnTime: Int64 = 0
    var resolutionLate: Int64 = 0
    var reopened: Int64 = 0
    var repeats: Int64 = 0
    var rated: Int64 = 0
    var ratingSum: Int64 = 0
    var negative: Int64 = 0

    /// The columns, in the rollup's names, each with the SQL summing it over rows of `complaints`.
    static let columns: [(name: String, sum: String)] = [
        ("received", "COUNT(*)"),
        ("closed", "SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END)"),
        ("close_ms", "SUM(CASE WHEN closed_at IS NOT NULL THEN closed_at - received_at ELSE 0 END)"),
        ("fr_on_time", "SUM(CASE WHEN first_response_late = 0 THEN 1 ELSE 0 END)"),
        ("fr_late", "SUM(CASE WHEN first_response_late = 1 THEN 1 ELSE 0 END)"),
        ("res_on_time", "SUM(CASE WHEN resolution_late = 0 THEN 1 ELSE 0 END)"),
        ("res_late", "SUM(CASE WHEN resolution_late = 1 THEN 1 ELSE 0 END)"),
        ("reopened", "SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END)"),
        ("repeats", "SUM(is_repeat)"),
        ("rated", "COUNT(satisfaction)"),
        ("rating_sum", "SUM(satisfaction)"),
        ("negative", "SUM(CASE WHEN satisfaction <= 2 THEN 1 ELSE 0 END)"),
    ]

    /// The select list summing the measures over rows of `complaints`.
    static let liveSelectList = columns.map { "CAST(COALESCE(\($0.sum), 0) AS BIGINT) AS \($0.name)" }
        .joined(separator: ", ")

    /// The select list summing the measures over rows of the rollup.
    static let rollupSelectList = columns.map { "CAST(COALESCE(SUM(\($0.name)), 0) AS BIGINT) AS \($0.name)" }
        .joined(separator: ", ")

    /// The values in `columns`' order, for writing a rollup row.
    var values: [Int64] {
        [
            received, closed, closeMilliseconds, firstResponseOnTime, firstResponseLate, resolutionOnTime,
            resolutionLate, reopened, repeats, rated, ratingSum, negative,
        ]
    }

    init() {}

    init(received: Int64) { self.received = received }

    /// The sums of one row selected with either select list.
    init(row: any SQLRow) throws {
        func value(_ column: String) throws -> Int64 { try row.decode(column: column, as: Int64?.self) ?? 0 }
        received = try value("received")
        closed = try value("closed")
        closeMilliseconds = try value("close_ms")
        firstResponseOnTime = try value("fr_on_time")
        firstResponseLate = try value("fr_late")
        resolutionOnTime = try value("res_on_time")
        resolutionLate = try value("res_late")
        reopened = try value("reopened")
        repeats = try value("repeats")
        rated = try value("rated")
        ratingSum = try value("rating_sum")
        negative = try value("negative")
    }

    static func + (lhs: MeasureSums, rhs: MeasureSums) -> MeasureSums {
        var sum = MeasureSums()
        sum.received = lhs.received + rhs.received
        sum.closed = lhs.closed + rhs.closed
        sum.closeMilliseconds = lhs.closeMilliseconds + rhs.closeMilliseconds
        sum.firstResponseOnTime = lhs.firstResponseOnTime + rhs.firstResponseOnTime
        sum.firstResponseLate = lhs.firstResponseLate + rhs.firstResponseLate
        sum.resolutionOnTime = lhs.resolutionOnTime + rhs.resolutionOnTime
        sum.resolutionLate = lhs.resolutionLate + rhs.resolutionLate
        sum.reopened = lhs.reopened + rhs.reopened
        sum.repeats = lhs.repeats + rhs.repeats
        sum.rated = lhs.rated + rhs.rated
        sum.ratingSum = lhs.ratingSum + rhs.ratingSum
        sum.negative = lhs.negative + rhs.negative
        return sum
    }

    static func += (lhs: inout MeasureSums, rhs: MeasureSums) { lhs = lhs + rhs }

    /// The measures these sums make.
    var measures: ComplaintMeasures {
        ComplaintMeasures(
            received: Int(received), closed: Int(closed),
            meanHoursToClose: closed == 0 ? nil : Double(closeMilliseconds) / Double(closed) / 3_600_000,
            firstResponseOnTime: Int(firstResponseOnTime), firstResponseLate: Int(firstResponseLate),
            resolutionOnTime: Int(resolutionOnTime), resolutionLate: Int(resolutionLate), reopened: Int(reopened),
            repeats: Int(repeats), rated: Int(rated), meanRating: rated == 0 ? nil : Double(ratingSum) / Double(rated),
            negative: Int(negative))
    }
}
