import CloseloopCore
import Foundation
import SQLKit

/// How many of one clock's latest cycles stopped in time and how many after their deadline (SPEC §7's on-time rate
/// per clock), over the complaints a figure counts.
public struct ClockTally: Sendable, Equatable {
    public var met: Int
    public var missed: Int

    public init(met: Int = 0, missed: Int = 0) {
        self.met = met
        self.missed = missed
    }

    /// Met ÷ stopped, nil when none has stopped.
    public var onTimeRate: Double? { ComplaintMeasures.rate(met, of: met + missed) }
}

/// Whether each clock of a complaint stopped in time, packed into the `clock_outcomes` column two bits per clock
/// (0 running or never started, 1 met, 2 missed) so a period's tallies of every clock are one pass over the period
/// index instead of ten columns.
enum ClockOutcomes {
    /// The clock's two bits, fixed here (not by `ClockKind`'s order) because rows written before a new clock keep
    /// theirs.
    static func position(_ clock: ClockKind) -> Int {
        switch clock {
        case .completeness: 0
        case .firstResponse: 1
        case .firstContact: 2
        case .customerUpdate: 3
        case .approval: 4
        case .departmentResult: 5
        case .resolution: 6
        case .verification: 7
        case .returnVisit: 8
        case .requestAnswer: 9
        }
    }

    static func weight(_ clock: ClockKind) -> Int64 { Int64(1) << (2 * position(clock)) }

    /// The column's value for `clocks`.
    static func code(of clocks: [ClockStatus]) -> Int64 {
        clocks.reduce(0) { code, status in
            guard let stopped = status.stoppedAt else { return code }
            return code + weight(status.clock) * (status.condition(at: stopped) == .met ? 1 : 2)
        }
    }

    /// SQL true for complaints whose `clock` met (or missed) its deadline; integer division and remainder, which
    /// both dialects read alike.
    static func condition(_ clock: ClockKind, met: Bool) -> String {
        "(COALESCE(clock_outcomes, 0) / \(weight(clock))) % 4 = \(met ? 1 : 2)"
    }

    /// The select list summing every clock's met and missed cycles, `<clock>_met` and `<clock>_missed`.
    static let selectList = ClockKind.allCases.map { clock in
        """
        COALESCE(SUM(CASE WHEN \(condition(clock, met: true)) THEN 1 ELSE 0 END), 0) AS \(clock.rawValue)_met,
        COALESCE(SUM(CASE WHEN \(condition(clock, met: false)) THEN 1 ELSE 0 END), 0) AS \(clock.rawValue)_missed
        """
    }.joined(separator: ",\n")

    /// The tallies of one row selected with `selectList`.
    static func tallies(row: any SQLRow) throws -> [ClockKind: ClockTally] {
        var tallies: [ClockKind: ClockTally] = [:]
        for clock in ClockKind.allCases {
            tallies[clock] = ClockTally(
                met: Int(try row.decode(column: "\(clock.rawValue)_met", as: Int64.self)),
                missed: Int(try row.decode(column: "\(clock.rawValue)_missed", as: Int64.self)))
        }
        return tallies
    }
}

/// The clocks whose share of allowance used is kept in a column of its own, for the distributions against target.
public enum AllowanceClock: String, Sendable, CaseIterable {
    case firstResponse = "first_response", resolution

    public var clock: ClockKind {
        switch self {
        case .firstResponse: .firstResponse
        case .resolution: .resolution
        }
    }

    var column: String { "\(rawValue)_used" }
}
