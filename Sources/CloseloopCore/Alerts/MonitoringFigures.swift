import Foundation

/// What a day's monitoring report counts (SPEC §6), before the targets are applied: each figure a count over a few
/// columns of the complaints in `MonitoringReport.Span`, and the complaints an anomaly names as the first
/// `MonitoringFigures.listed` by number. A store computes it with SQL aggregates over covering indexes, so the
/// check every instance runs each five minutes costs the same at a million complaints as at a thousand;
/// `tally(_:span:)` is the same definition over entries in memory, which the store's queries are tested against.
public struct MonitoringFigures: Hashable, Sendable {
    public var receivedOnDay: Int
    public var closedOnDay: Int
    /// Of the complaints closed in the day, those that met their resolution deadline (or closed without one).
    public var closedOnDayInTime: Int
    /// The closure rate's base: complaints whose resolution deadline fell in the window or that were closed in it.
    public var closureBase: Int
    public var closureInTime: Int
    /// Of the closure base, those that did not meet their resolution deadline.
    public var missed: Listed
    /// How many satisfaction scores of each value (1–5) were given in the window: `ratings[0]` counts the 1s.
    public var ratings: [Int]
    /// Complaints scored 1 or 2 in the window.
    public var unhappy: Listed
    /// Complaints whose first response is still owed past its deadline at the day's end (or `asOf`).
    public var firstResponseOverdue: Listed
    /// Complaints whose first contact is still owed past its deadline.
    public var firstContactOverdue: Int
    /// Complaints with any clock running past its deadline: what the queues list as overdue at the same instant.
    public var overdue: Int

    /// How many complaints a list names at most: more than an alert (20) or the report's page (50) shows.
    public static let listed = 50

    /// Complaints counted, and the first `MonitoringFigures.listed` of them by number.
    public struct Listed: Hashable, Sendable, ExpressibleByArrayLiteral, Sequence {
        public var count: Int
        public var numbers: [String]

        public init(count: Int, numbers: [String]) {
            self.count = count
            self.numbers = numbers
        }

        /// All of `numbers`, as a store's listing of them or a test's expectation.
        public init(_ all: [String]) {
            count = all.count
            numbers = Array(all.sorted().prefix(MonitoringFigures.listed))
        }

        public init(arrayLiteral elements: String...) { self.init(elements) }

        public var isEmpty: Bool { count == 0 }
        public func makeIterator() -> IndexingIterator<[String]> { numbers.makeIterator() }
    }

    public init(
        receivedOnDay: Int, closedOnDay: Int, closedOnDayInTime: Int, closureBase: Int, closureInTime: Int,
        missed: Listed, ratings: [Int], unhappy: Listed, firstResponseOverdue: Listed, firstContactOverdue: Int,
        overdue: Int
    ) {
        self.receivedOnDay = receivedOnDay
        self.closedOnDay = closedOnDay
        self.closedOnDayInTime = closedOnDayInTime
        self.closureBase = closureBase
        self.closureInTime = closureInTime
        self.missed = missed
        self.ratings = ratings
        self.unhappy = unhappy
        self.firstResponseOverdue = firstResponseOverdue
        self.firstContactOverdue = firstContactOverdue
        self.overdue = overdue
    }

    /// The figures of `entries` (any superset of the span's complaints) over `span`.
    public static func tally(_ entries: [MonitoringReport.Entry], span: MonitoringReport.Span) -> MonitoringFigures {
        func inDay(_ date: Date?) -> Bool { date.map { $0 >= span.dayStart && $0 < span.dayEnd } ?? false }
        func inWindow(_ date: Date?) -> Bool { date.map { $0 >= span.windowStart && $0 < span.dayEnd } ?? false }
        func due(_ date: Date?) -> Bool { date.map { $0 < span.dayEnd } ?? false }
        let base = entries.filter { inWindow($0.resolutionDueAt) || inWindow($0.closedAt) }
        let closed = entries.filter { inDay($0.closedAt) }
        let rated = entries.filter { inWindow($0.verifiedAt) }.compactMap { entry in
            entry.satisfaction.map { (entry.number, $0) }
        }
        return MonitoringFigures(
            receivedOnDay: entries.filter { inDay($0.receivedAt) }.count, closedOnDay: closed.count,
            closedOnDayInTime: closed.filter(\.metResolution).count, closureBase: base.count,
            closureInTime: base.filter(\.metResolution).count,
            missed: Listed(base.filter { !$0.metResolution }.map(\.number)),
            ratings: (1...5).map { score in rated.filter { $0.1 == score }.count },
            unhappy: Listed(rated.filter { $0.1 <= 2 }.map(\.0)),
            firstResponseOverdue: Listed(entries.filter { due($0.firstResponseDueAt) }.map(\.number)),
            firstContactOverdue: entries.filter { due($0.firstContactDueAt) }.count,
            overdue: entries.filter { due($0.nextDueAt) }.count)
    }
}
