import CloseloopCore
import Foundation

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
