import CloseloopCore
import Foundation
import SQLKit

/// The figures SPEC §7 counts over a set of complaints (a period, a department's, an owner's), summed in SQL from the
/// complaints' own columns: the same sums for the dashboards, the league tables, the reports and the API.
public struct ComplaintMeasures: Sendable, Equatable {
    public var received: Int
    /// Of those received, how many are closed (or archived) now.
    public var closed: Int
    /// Mean hours from receipt to closing, over the closed ones.
    public var meanHoursToClose: Double?
    public var firstResponseOnTime: Int
    public var firstResponseLate: Int
    public var resolutionOnTime: Int
    public var resolutionLate: Int
    public var reopened: Int
    public var repeats: Int
    public var rated: Int
    /// Mean rating on the 1–5 scale.
    public var meanRating: Double?
    /// Ratings of 1 or 2.
    public var negative: Int

    public init(
        received: Int = 0, closed: Int = 0, meanHoursToClose: Double? = nil, firstResponseOnTime: Int = 0,
        firstResponseLate: Int = 0, resolutionOnTime: Int = 0, resolutionLate: Int = 0, reopened: Int = 0,
        repeats: Int = 0, rated: Int = 0, meanRating: Double? = nil, negative: Int = 0
    ) {
        self.received = received
        self.closed = closed
        self.meanHoursToClose = meanHoursToClose
        self.firstResponseOnTime = firstResponseOnTime
        self.firstResponseLate = firstResponseLate
        self.resolutionOnTime = resolutionOnTime
        self.resolutionLate = resolutionLate
        self.reopened = reopened
        self.repeats = repeats
        self.rated = rated
        self.meanRating = meanRating
        self.negative = negative
    }

    /// Closed ÷ received, nil when nothing was received.
    public var closureRate: Double? { Self.rate(closed, of: received) }
    /// Share of stopped first-response clocks that stopped in time.
    public var firstResponseOnTimeRate: Double? {
        Self.rate(firstResponseOnTime, of: firstResponseOnTime + firstResponseLate)
    }
    public var resolutionOnTimeRate: Double? { Self.rate(resolutionOnTime, of: resolutionOnTime + resolutionLate) }
    /// SPEC §6's satisfaction on 0–100: the mean rating scaled from 1–5.
    public var satisfaction: Double? { meanRating.map { ($0 - 1) / 4 * 100 } }
    public var negativeRate: Double? { Self.rate(negative, of: rated) }
    public var reopenRate: Double? { Self.rate(reopened, of: closed) }
    public var repeatRate: Double? { Self.rate(repeats, of: received) }

    static func rate(_ part: Int, of whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    /// The select list that sums the measures over the rows of a query on `complaints`.
    static let selectList = """
        COUNT(*) AS received,
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
        """

    /// The measures of one row selected with `selectList`.
    init(row: any SQLRow) throws {
        func count(_ column: String) throws -> Int { Int(try row.decode(column: column, as: Int64?.self) ?? 0) }
        self.init(
            received: try count("received"), closed: try count("closed"),
            meanHoursToClose: try row.decode(column: "hours", as: Double?.self),
            firstResponseOnTime: try count("fr_on_time"), firstResponseLate: try count("fr_late"),
            resolutionOnTime: try count("res_on_time"), resolutionLate: try count("res_late"),
            reopened: try count("reopened"), repeats: try count("repeats"), rated: try count("rated"),
            meanRating: try row.decode(column: "rating", as: Double?.self), negative: try count("negative"))
    }
}

/// Whose complaints a figure counts: the company's, or one department's.
public struct StatisticsScope: Sendable, Hashable {
    public var department: DepartmentID?

    public init(department: DepartmentID? = nil) { self.department = department }

    public static let company = StatisticsScope()
}

/// One line of a league table (排名): a department's or an owner's measures; `key` nil for complaints with none yet.
public struct LeagueLine: Sendable, Equatable {
    public var key: String?
    public var measures: ComplaintMeasures

    public init(key: String?, measures: ComplaintMeasures) {
        self.key = key
        self.measures = measures
    }
}
