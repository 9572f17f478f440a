import Foundation

extension Workflow {
    /// The events that record the warnings and breaches `owed` on `complaint` (SPEC §3), by the system, numbered after
    /// its history; fold them in with `Complaint.apply` like any action's.
    public func raise(_ owed: [ClockAlert], on complaint: Complaint, at now: Date) -> [ComplaintEvent] {
        owed.enumerated().map { offset, alert in
            ComplaintEvent(
                sequence: complaint.version + 1 + offset, at: now, actor: Actor.system.reference,
                change: .clockAlerted(alert))
        }
    }
}
