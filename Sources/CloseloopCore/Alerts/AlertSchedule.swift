import Foundation

/// Which warnings and breaches a complaint's clocks owe at an instant, and when the next one falls due: a pure
/// function of the clocks and the alerts already in the history, so two server instances looking at the same
/// complaint agree, and an alert already recorded is never recorded again.
public struct AlertSchedule: Sendable {
    public var policy: AlertPolicy

    public init(policy: AlertPolicy) {
        self.policy = policy
    }

    /// The alerts already recorded in a history.
    static func recorded(in history: [ComplaintEvent]) -> Set<AlertKey> {
        var keys: Set<AlertKey> = []
        for event in history {
            if case .clockAlerted(let alert) = event.change { keys.insert(alert.key) }
        }
        return keys
    }

    /// The highest breach level recorded for the clock's current cycle; 0 when none is.
    static func highestBreach(of status: ClockStatus, in recorded: Set<AlertKey>) -> Int {
        recorded.filter { $0.clock == status.clock && $0.cycleStart == status.startedAt && $0.kind == .breach }
            .map(\.level).max() ?? 0
    }

    /// Every alert of a running clock with its instant: the warning, then breach levels 1, 2, … . A warning or a
    /// breach of a level that has been passed already but not recorded is still owed (a server that was down
    /// catches up), but only the highest breach level owed is returned, so a long outage does not send four
    /// escalations at once.
    func schedule(of status: ClockStatus) -> [(at: Date, alert: ClockAlert)] {
        guard status.isRunning, let due = status.dueAt else { return [] }
        let span = max(due.timeIntervalSince(status.startedAt), 60)
        var alerts: [(Date, ClockAlert)] = [
            (
                status.startedAt.addingTimeInterval(span * policy.warningAt),
                ClockAlert(kind: .warning, clock: status.clock, cycleStart: status.startedAt, dueAt: due, level: 0)
            )
        ]
        for level in 1...max(policy.escalation.count, 1) {
            alerts.append(
                (
                    due.addingTimeInterval(span * Double(level - 1)),
                    ClockAlert(
                        kind: .breach, clock: status.clock, cycleStart: status.startedAt, dueAt: due, level: level)
                ))
        }
        return alerts
    }

    /// The alerts owed at `now` and not yet in `history`.
    public func due(clocks: [ClockStatus], history: [ComplaintEvent], at now: Date) -> [ClockAlert] {
        let recorded = Self.recorded(in: history)
        var owed: [ClockAlert] = []
        for status in clocks {
            let passed = schedule(of: status).filter { $0.at <= now }.map(\.alert)
            let breaches = passed.filter { $0.kind == .breach }
            let highestRecorded = Self.highestBreach(of: status, in: recorded)
            // A warning is pointless once the clock has run out.
            if breaches.isEmpty, let warning = passed.first(where: { $0.kind == .warning }),
                !recorded.contains(warning.key)
            {
                owed.append(warning)
            }
            if let highest = breaches.max(by: { $0.level < $1.level }), highest.level > highestRecorded {
                owed.append(highest)
            }
        }
        return owed
    }

    /// The next instant after `now` at which an alert falls due, or nil when no running clock owes one; the
    /// watcher's index orders by this.
    public func nextAlert(clocks: [ClockStatus], history: [ComplaintEvent], after now: Date) -> Date? {
        let recorded = Self.recorded(in: history)
        var next: Date?
        for status in clocks {
            let highestRecorded = Self.highestBreach(of: status, in: recorded)
            for (at, alert) in schedule(of: status) {
                if alert.kind == .warning && (recorded.contains(alert.key) || highestRecorded > 0) { continue }
                if alert.kind == .breach && alert.level <= highestRecorded { continue }
                let instant = max(at, now)
                if next == nil || instant < next! { next = instant }
                break
            }
        }
        return next
    }
}
