import Foundation

/// One clock's latest cycle on a complaint: when it started, when it is due and whether it stopped in time.
public struct ClockStatus: Hashable, Codable, Sendable {
    public var clock: ClockKind
    public var limit: TimeLimit
    public var basis: TimeBasis
    public var startedAt: Date
    /// Nil while an open-ended pause (waiting for the customer) holds the clock.
    public var dueAt: Date?
    public var stoppedAt: Date?
    /// Of a stopped clock with a deadline, the share of its allowance it used, in percent of the time counted on its
    /// basis (working time on the working basis, pauses taken out): 50 stopped half-way, 100 at its very deadline,
    /// 150 half an allowance late. What the dashboards' distributions against target count.
    public var usedPercent: Int?

    public init(
        clock: ClockKind, limit: TimeLimit, basis: TimeBasis, startedAt: Date, dueAt: Date?, stoppedAt: Date?,
        usedPercent: Int? = nil
    ) {
        self.clock = clock
        self.limit = limit
        self.basis = basis
        self.startedAt = startedAt
        self.dueAt = dueAt
        self.stoppedAt = stoppedAt
        self.usedPercent = usedPercent
    }

    public var isRunning: Bool { stoppedAt == nil }

    /// How the clock looks at `now`.
    public func condition(at now: Date) -> ClockCondition {
        if let stoppedAt {
            guard let dueAt else { return .met }
            return stoppedAt <= dueAt ? .met : .missed
        }
        guard let dueAt else { return .paused }
        return now > dueAt ? .overdue : .running
    }
}

/// A clock's condition at one instant.
public enum ClockCondition: String, Codable, Sendable, CaseIterable {
    /// Counting down, not yet due.
    case running
    /// Held while waiting for the customer or under an approved delay.
    case paused
    /// Past due and still running.
    case overdue
    /// Stopped before its deadline.
    case met
    /// Stopped after its deadline.
    case missed
}
