import CloseloopCore
import Foundation

/// A complaint's current state with its clocks, as the store keeps it for reading without replaying the history.
public struct ComplaintRecord: Hashable, Codable, Sendable {
    public var complaint: Complaint
    public var clocks: [ClockStatus]
    /// The next instant a warning or breach falls due (`AlertSchedule`); nil when no running clock owes one.
    public var nextAlertAt: Date?

    public init(complaint: Complaint, clocks: [ClockStatus], nextAlertAt: Date? = nil) {
        self.complaint = complaint
        self.clocks = clocks
        self.nextAlertAt = nextAlertAt
    }

    /// The earliest deadline of a running clock.
    public var nextDueAt: Date? { ClockSchedule.nextDue(clocks) }

    /// The running deadline of one clock, for its due-at column.
    /// 1 when the first cycle of `clock` stopped after its deadline, 0 when it stopped in time, nil while it runs
    /// (or never ran): what the reports count as late or on time.
    public func lateness(of clock: ClockKind) -> Int? {
        guard let status = clocks.first(where: { $0.clock == clock }), let stopped = status.stoppedAt else {
            return nil
        }
        guard let due = status.dueAt else { return 0 }
        return stopped > due ? 1 : 0
    }

    /// The share of its allowance `clock`'s latest cycle used, once it stopped (`ClockStatus.usedPercent`).
    public func usedPercent(of clock: ClockKind) -> Int? {
        clocks.first { $0.clock == clock }?.usedPercent
    }

    public func dueAt(_ clock: ClockKind) -> Date? {
        clocks.first { $0.clock == clock && $0.isRunning }?.dueAt
    }
}
