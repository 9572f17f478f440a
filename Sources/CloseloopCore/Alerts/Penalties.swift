import Foundation

/// A penalty against the responsible department for one late clock cycle (SPEC §3's table, §5), before it is
/// booked: the store adds the complaint and the instant.
public struct Penalty: Hashable, Sendable {
    public var clock: ClockKind
    public var cycleStart: Date
    public var department: DepartmentID?
    public var severity: Severity
    public var amount: Money

    public init(clock: ClockKind, cycleStart: Date, department: DepartmentID?, severity: Severity, amount: Money) {
        self.clock = clock
        self.cycleStart = cycleStart
        self.department = department
        self.severity = severity
        self.amount = amount
    }
}

/// What breaches cost and what waives them (SPEC §5).
public enum Penalties {
    /// The penalties `alerts` incur on `complaint`: one per breach of a clock the alert policy fines, at the amount the
    /// service policy sets for the complaint's severity, charged to the responsible department (before assignment, the
    /// department complained about). Warnings and a zero amount cost nothing.
    public static func incurred(
        by alerts: [ClockAlert], on complaint: Complaint, policy: ServicePolicy, finedClocks: Set<ClockKind>
    ) -> [Penalty] {
        guard let amount = policy.severities[complaint.severity]?.penalty, amount > .zero else { return [] }
        return alerts.filter { $0.kind == .breach && finedClocks.contains($0.clock) }.map {
            Penalty(
                clock: $0.clock, cycleStart: $0.cycleStart,
                department: complaint.department ?? complaint.intake.complainedAboutDepartment,
                severity: complaint.severity, amount: amount)
        }
    }

    /// Why `events` waive the penalties the complaint has incurred so far, if they do: an approved delay request.
    public static func waiver(in events: [ComplaintEvent]) -> String? {
        for event in events {
            if case .delayDecided(let decision) = event.change, decision.approved {
                return "delay approved: \(decision.comment)"
            }
        }
        return nil
    }
}
