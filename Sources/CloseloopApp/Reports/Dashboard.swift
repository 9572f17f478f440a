import CloseloopCore
import CloseloopStore
import Foundation

/// What a dashboard shows for one period and scope (SPEC §7): the period's figures beside the previous period's and
/// the same period last year's, the volume trend, how long closing took, and the targets the figures are held to.
public struct Dashboard: Sendable {
    /// One step of the trend: the first day of the step and the complaints received in it.
    public struct TrendPoint: Sendable, Equatable {
        public var day: LocalDate
        public var count: Int
    }

    /// One bar of the time-to-close distribution: complaints closed in under `upTo` hours (nil: the rest).
    public struct CloseBucket: Sendable, Equatable {
        public var from: Int
        public var upTo: Int?
        public var count: Int
    }

    public var period: ReportPeriod
    public var scope: StatisticsScope
    /// The days of the period compared: all of them once it is over; while it runs, the days begun so far, and the
    /// same number of days of the periods it is compared with.
    public var comparedDays: Int
    /// The periods compared with: the previous and last year's, or their first `comparedDays` days.
    public var previousPeriod: ReportPeriod
    public var lastYearPeriod: ReportPeriod
    public var current: ComplaintStatistics
    public var previous: ComplaintStatistics
    public var lastYear: ComplaintStatistics
    public var trend: [TrendPoint]
    /// The previous period's trend, step for step, to draw beside the current one.
    public var previousTrend: [TrendPoint]
    public var hoursToClose: [CloseBucket]
    /// How much of their allowance the first responses and resolutions took: the distributions against target.
    public var allowanceUsed: [AllowanceClock: [UsedBucket]]
    public var targets: MonitoringTargets

    /// The edges of the time-to-close distribution, in hours (`StatisticsBuckets`, which the rollup counts by).
    public static let closeEdges = StatisticsBuckets.closeHours
    /// The edges of the distributions against target, in percent of the allowance.
    public static let usedEdges = StatisticsBuckets.usedPercent

    /// One bar of a distribution against target: clocks that used over `above` percent of their allowance, up to
    /// `upTo` (nil: no bound).
    public struct UsedBucket: Sendable, Equatable {
        public var above: Int?
        public var upTo: Int?
        public var count: Int

        public init(above: Int?, upTo: Int?, count: Int) {
            self.above = above
            self.upTo = upTo
            self.count = count
        }

        /// Within the deadline.
        public var onTime: Bool { (upTo ?? Int.max) <= 100 }
        /// "≤ 50%", "50–100%", "> 200%".
        public var label: String {
            switch (above, upTo) {
            case (nil, let upTo?): "≤ \(upTo)%"
            case (let above?, nil): "> \(above)%"
            case (let above?, let upTo?): "\(above)–\(upTo)%"
            case (nil, nil): "—"
            }
        }

        /// The bars of `counts`, one per bucket of `edges` and one beyond.
        static func bars(_ counts: [Int], edges: [Int]) -> [UsedBucket] {
            counts.enumerated().map { index, count in
                UsedBucket(
                    above: index == 0 ? nil : edges[index - 1], upTo: index < edges.count ? edges[index] : nil,
                    count: count)
            }
        }
    }
}

/// A league table (排名) of departments or owners for one period, ranked by one measure, with the lines that miss a
/// monitoring target marked.
public struct League: Sendable {
    /// What the table is ranked by.
    public enum Ranking: String, Sendable, CaseIterable {
        case volume, onTime = "on_time", closure, satisfaction, negative, repeats, penalties, quality
    }

    /// Which targets a line misses.
    public enum Miss: String, Sendable, Hashable {
        case closure, satisfaction, negative
    }

    public struct Line: Sendable {
        public var key: String?
        public var measures: ComplaintMeasures
        /// Penalties booked against the department in the period (departments only: penalties name no owner).
        public var penalties: Money?
        public var misses: Set<Miss>
        public var rank: Int
        /// The mean score of quality's scored spot checks drawn for the same period, and how many there are.
        public var qualityScore: Double? = nil
        public var qualityChecks: Int = 0
    }

    public var period: ReportPeriod
    public var grouping: LeagueGrouping
    public var scope: StatisticsScope
    public var ranking: Ranking
    public var lines: [Line]
    public var targets: MonitoringTargets

    /// Ranks `lines` by `ranking`, best first (fewest negatives, repeats and penalties; most of everything else);
    /// lines without a figure for the measure go last.
    static func ranked(_ lines: [Line], by ranking: Ranking) -> [Line] {
        func value(_ line: Line) -> Double? {
            let m = line.measures
            switch ranking {
            case .volume: return Double(m.received)
            case .onTime: return m.resolutionOnTimeRate
            case .closure: return m.closureRate
            case .satisfaction: return m.satisfaction
            case .negative: return m.negativeRate.map { -$0 }
            case .repeats: return m.repeatRate.map { -$0 }
            case .penalties: return line.penalties.map { -Double($0.minorUnits) }
            case .quality: return line.qualityScore
            }
        }
        let sorted = lines.sorted { left, right in
            switch (value(left), value(right)) {
            case let (l?, r?) where l != r: return l > r
            case (_?, nil): return true
            case (nil, _?): return false
            // Ties in key order, with the complaints nobody holds yet after everyone's.
            default:
                guard let l = left.key else { return false }
                guard let r = right.key else { return true }
                return l < r
            }
        }
        return sorted.enumerated().map { index, line in
            var ranked = line
            ranked.rank = index + 1
            return ranked
        }
    }

    /// The targets `measures` misses.
    static func misses(_ measures: ComplaintMeasures, against targets: MonitoringTargets) -> Set<Miss> {
        var misses: Set<Miss> = []
        if let rate = measures.closureRate, rate < targets.closureRate { misses.insert(.closure) }
        if let score = measures.satisfaction, score < targets.satisfaction { misses.insert(.satisfaction) }
        if let rate = measures.negativeRate, rate > targets.negativeRate { misses.insert(.negative) }
        return misses
    }
}
