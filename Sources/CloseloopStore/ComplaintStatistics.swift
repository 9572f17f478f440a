import CloseloopCore
import Foundation

/// The figures of SPEC §7 for the complaints received in a period: volume by each dimension, closure, lateness,
/// reopenings and repeats, satisfaction, and the penalties written in the period.
public struct ComplaintStatistics: Sendable, Equatable {
    /// A count per value of one dimension (channel, category, department…), largest first.
    public struct Breakdown: Sendable, Equatable {
        public var counts: [(key: String, count: Int)]

        public init(_ counts: [(key: String, count: Int)]) {
            self.counts = counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key }
        }

        public subscript(_ key: String) -> Int { counts.first { $0.key == key }?.count ?? 0 }

        public static func == (lhs: Breakdown, rhs: Breakdown) -> Bool {
            lhs.counts.elementsEqual(rhs.counts) { $0.key == $1.key && $0.count == $1.count }
        }
    }

    /// The penalties of one department written in the period.
    public struct Penalties: Sendable, Equatable {
        public var department: DepartmentID?
        public var entries: Int
        public var amount: Money
        public var waived: Int

        public init(department: DepartmentID?, entries: Int, amount: Money, waived: Int) {
            self.department = department
            self.entries = entries
            self.amount = amount
            self.waived = waived
        }
    }

    /// Dimensions the volume is broken down by; the column each comes from.
    public enum Dimension: String, Sendable, CaseIterable {
        case channel, category, department, severity, priority, kind, state
    }

    public var from: Date
    public var to: Date
    public var received: Int
    public var breakdowns: [Dimension: Breakdown]
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
    public var penalties: [Penalties]

    public init(
        from: Date, to: Date, received: Int, breakdowns: [Dimension: Breakdown], closed: Int,
        meanHoursToClose: Double?, firstResponseOnTime: Int, firstResponseLate: Int, resolutionOnTime: Int,
        resolutionLate: Int, reopened: Int, repeats: Int, rated: Int, meanRating: Double?, negative: Int,
        penalties: [Penalties]
    ) {
        self.from = from
        self.to = to
        self.received = received
        self.breakdowns = breakdowns
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
        self.penalties = penalties
    }

    /// Closed ÷ received, nil when nothing was received.
    public var closureRate: Double? { received == 0 ? nil : Double(closed) / Double(received) }
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

    private static func rate(_ part: Int, of whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
}
