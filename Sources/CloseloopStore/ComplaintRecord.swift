import CloseloopCore
import Foundation

/// A complaint's current state with its clocks, as the store keeps it for reading without replaying the history.
public struct ComplaintRecord: Hashable, Codable, Sendable {
    public var complaint: Complaint
    public var clocks: [ClockStatus]

    public init(complaint: Complaint, clocks: [ClockStatus]) {
        self.complaint = complaint
        self.clocks = clocks
    }

    /// The earliest deadline of a running clock.
    public var nextDueAt: Date? { ClockSchedule.nextDue(clocks) }

    /// The running deadline of one clock, for its due-at column.
    public func dueAt(_ clock: ClockKind) -> Date? {
        clocks.first { $0.clock == clock && $0.isRunning }?.dueAt
    }
}
