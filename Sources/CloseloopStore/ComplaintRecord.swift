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
    public func dueAt(_ clock: ClockKind) -> Date? {
        clocks.first { $0.clock == clock && $0.isRunning }?.dueAt
    }
}
