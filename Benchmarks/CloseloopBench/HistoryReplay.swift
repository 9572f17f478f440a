import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// One complaint's life replayed through the real domain: every action goes through `Workflow.apply` at its
/// historical instant, and between actions the deadline watcher's work is done as `ComplaintService.raiseAlerts`
/// would have done it (warnings, breaches and their penalties at the instant they fell due), so the stored record,
/// history and clock columns are exactly what a running server would have written.
struct HistoryReplay {
    let workflow: Workflow
    let clocks: ClockSchedule
    let alerts: AlertSchedule
    let policy: ServicePolicy
    var complaint: Complaint
    var history: [ComplaintEvent]
    var penalties: [PenaltyEntry] = []
    /// The instant of the last event.
    var latest: Date
    /// The clocks of the history up to `cachedFor` events: alerts do not move clocks, so raising them keeps the cache,
    /// and the clocks (the costly part of a replay) are worked out once per action, not once per question.
    private var cachedClocks: [ClockStatus] = []
    private var cachedFor = 0

    init(
        complaint: Complaint, received: ComplaintEvent, policy: ServicePolicy, calendar: BusinessCalendar,
        alertPolicy: AlertPolicy
    ) {
        workflow = Workflow(policy: policy)
        clocks = ClockSchedule(policy: policy, calendar: calendar)
        alerts = AlertSchedule(policy: alertPolicy)
        self.policy = policy
        self.complaint = complaint
        history = [received]
        latest = received.at
    }

    /// Performs `action` at `instant`, after recording the alerts that fell due before it.
    mutating func act(_ action: ComplaintAction, by actor: Actor, at instant: Date) throws {
        raiseAlerts(until: instant)
        let events = try workflow.apply(action, to: complaint, by: actor, at: instant)
        for event in events {
            complaint.apply(event)
            history.append(event)
        }
        latest = instant
    }

    /// The owner's progress calls before `instant`: a diligent owner calls the customer halfway through each
    /// customer-update cycle that would otherwise run out (SPEC §3's cadence); one in ten is forgotten.
    mutating func keepCustomerInformed(
        until instant: Date, by owner: Actor, note: String, using random: inout SeededRandom
    ) throws {
        for _ in 0..<6 {
            let statuses = currentClocks()
            guard
                let update = statuses.first(where: { $0.clock == .customerUpdate && $0.isRunning }),
                let due = update.dueAt, due < instant
            else { return }
            let halfway = update.startedAt.addingTimeInterval(due.timeIntervalSince(update.startedAt) / 2)
            let at = Self.millisecond(max(halfway, latest.addingTimeInterval(60)))
            guard at < due, random.chance(0.9) else { return }
            try act(.recordContact(outcome: .reached, note: note), by: owner, at: at)
        }
    }

    static func millisecond(_ instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// Records every warning and breach owed up to `instant`, each at the millisecond it fell due (the watcher runs
    /// every 30 s; the difference does not matter here).
    mutating func raiseAlerts(until instant: Date) {
        let statuses = currentClocks()
        for _ in 0..<16 {
            guard let next = alerts.nextAlert(clocks: statuses, history: history, after: latest) else { return }
            let at = Date(timeIntervalSince1970: (next.timeIntervalSince1970 * 1000).rounded(.up) / 1000)
            guard at <= instant else { return }
            let owed = alerts.due(clocks: statuses, history: history, at: at)
            guard !owed.isEmpty else { return }
            for alert in owed {
                let event = ComplaintEvent(
                    sequence: complaint.version + 1, at: at, actor: Actor.system.reference,
                    change: .clockAlerted(alert))
                complaint.apply(event)
                history.append(event)
                if alert.kind == .breach && alerts.policy.penaltyClocks.contains(alert.clock),
                    let amount = policy.severities[complaint.severity]?.penalty, amount > .zero,
                    // Once per clock cycle, as the penalties table's key (and the store's ON CONFLICT) keeps it.
                    !penalties.contains(where: { $0.clock == alert.clock && $0.cycleStart == alert.cycleStart })
                {
                    penalties.append(
                        PenaltyEntry(
                            complaintID: complaint.id, clock: alert.clock, cycleStart: alert.cycleStart,
                            department: complaint.department ?? complaint.intake.complainedAboutDepartment,
                            severity: complaint.severity, amount: amount, at: at))
                }
            }
            latest = at
            cachedFor = history.count
        }
    }

    private mutating func currentClocks() -> [ClockStatus] {
        if cachedFor != history.count {
            cachedClocks = clocks.clocks(for: history)
            cachedFor = history.count
        }
        return cachedClocks
    }

    /// The record as the store keeps it at `now`: clocks from the whole history and the next alert still owed.
    mutating func record(at now: Date) -> ComplaintRecord {
        let statuses = currentClocks()
        let next = alerts.nextAlert(clocks: statuses, history: history, after: max(now, latest))
        return ComplaintRecord(complaint: complaint, clocks: statuses, nextAlertAt: next)
    }
}
