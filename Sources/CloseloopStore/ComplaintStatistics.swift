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
        case channel, category, subcategory, product, department, severity, priority, kind, state

    }

    public var from: Date
    public var to: Date
    public var scope: StatisticsScope
    public var totals: ComplaintMeasures
    public var breakdowns: [Dimension: Breakdown]
    /// The penalties written in the period, per department (only the scope's department when it has one).
    public var penalties: [Penalties]
    /// Every clock's cycles met and missed (the latest cycle of each complaint's clock), summed with the breakdowns.
    public var clocks: [ClockKind: ClockTally]

    public init(
        from: Date, to: Date, scope: StatisticsScope = .company, totals: ComplaintMeasures,
        breakdowns: [Dimension: Breakdown], penalties: [Penalties], clocks: [ClockKind: ClockTally] = [:]
    ) {
        self.from = from
        self.to = to
        self.scope = scope
        self.totals = totals
        self.breakdowns = breakdowns
        self.penalties = penalties
        self.clocks = clocks
    }

    public var received: Int { totals.received }
    public var closed: Int { totals.closed }
    public var meanHoursToClose: Double? { totals.meanHoursToClose }
    public var firstResponseOnTime: Int { totals.firstResponseOnTime }
    public var firstResponseLate: Int { totals.firstResponseLate }
    public var resolutionOnTime: Int { totals.resolutionOnTime }
    public var resolutionLate: Int { totals.resolutionLate }
    public var reopened: Int { totals.reopened }
    public var repeats: Int { totals.repeats }
    public var rated: Int { totals.rated }
    public var meanRating: Double? { totals.meanRating }
    public var negative: Int { totals.negative }
    public var closureRate: Double? { totals.closureRate }
    public var firstResponseOnTimeRate: Double? { totals.firstResponseOnTimeRate }
    public var resolutionOnTimeRate: Double? { totals.resolutionOnTimeRate }
    public var satisfaction: Double? { totals.satisfaction }
    public var negativeRate: Double? { totals.negativeRate }
    public var reopenRate: Double? { totals.reopenRate }
    public var repeatRate: Double? { totals.repeatRate }
    /// The penalties' total amount.
    public var penaltyTotal: Money { Money(minorUnits: penalties.reduce(0) { $0 + $1.amount.minorUnits }) }
}
