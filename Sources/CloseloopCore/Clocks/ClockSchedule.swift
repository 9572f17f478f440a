import Foundation

/// Deadlines as a pure function of the history, the policy and the business calendar (ARCHITECTURE, "How a change
/// to a complaint flows"): replays the events, starting, stopping and restarting each clock of SPEC §5, and works
/// out each deadline with the pauses (waiting for the customer, approved delays) taken out.
public struct ClockSchedule: Sendable {
    public var policy: ServicePolicy
    public var calendar: BusinessCalendar

    public init(policy: ServicePolicy, calendar: BusinessCalendar) {
        self.policy = policy
        self.calendar = calendar
    }

    /// The latest cycle of every clock that has started, in `ClockKind` order.
    public func clocks(for history: [ComplaintEvent]) -> [ClockStatus] {
        guard let first = history.first, case .received(let received) = first.change else { return [] }
        var complaint = Complaint(id: ComplaintID(""), received: received, at: first.at)
        var cycles: [ClockKind: (start: Date, stop: Date?)] = [:]
        var pauses = PauseCollector()

        func start(_ clock: ClockKind, at instant: Date) { cycles[clock] = (instant, nil) }
        func startIfIdle(_ clock: ClockKind, at instant: Date) {
            if cycles[clock] == nil || cycles[clock]?.stop != nil { start(clock, at: instant) }
        }
        func stop(_ clock: ClockKind, at instant: Date) {
            if let cycle = cycles[clock], cycle.stop == nil { cycles[clock] = (cycle.start, instant) }
        }
        func stopAll(at instant: Date) { for clock in cycles.keys { stop(clock, at: instant) } }

        for event in history {
            let at = event.at
            // SPEC §3/§5: the first two-way exchange meets first contact, and each one restarts the update cadence.
            if event.isExchangeWithCustomer {
                stop(.firstContact, at: at)
                if cycles[.customerUpdate] != nil { start(.customerUpdate, at: at) }
            }
            switch event.change {
            case .received(let received):
                start(.completeness, at: at)
                start(.firstResponse, at: at)
                if received.intake.kind.isRequest {
                    start(.requestAnswer, at: at)
                } else {
                    start(.firstContact, at: at)
                    start(.resolution, at: at)
                }
            case .completenessChecked(let check):
                stop(.completeness, at: at)
                if !check.complete { pauses.open(at: at) }
            case .informationProvided:
                pauses.close(at: at)
            case .validityDecided(let decision):
                stop(.completeness, at: at)
                if !decision.valid { stopAll(at: at) }
            case .requestAnswered:
                stopAll(at: at)
            case .assigned(let assignment):
                stop(.firstResponse, at: at)
                stop(.requestAnswer, at: at)
                if !assignment.kind.isRequest {
                    if cycles[.firstContact] == nil && complaint.firstContactAt == nil { start(.firstContact, at: at) }
                    if cycles[.resolution] == nil { start(.resolution, at: at) }
                }
                start(.customerUpdate, at: at)
            case .solutionProposed(let proposal):
                if proposal.requiredApprover != nil { start(.approval, at: at) }
            case .approvalDecided:
                stop(.approval, at: at)
            case .progressRecorded(let progress):
                if progress.workFinished { startIfIdle(.departmentResult, at: at) }
            case .resultReturned:
                stop(.departmentResult, at: at)
                start(.verification, at: at)
            case .verified(let verification):
                stop(.verification, at: at)
                if verification.solved && verification.satisfied {
                    stop(.resolution, at: at)
                    start(.returnVisit, at: at)
                }
            case .returnVisitRecorded:
                stop(.returnVisit, at: at)
            case .closed, .archived, .merged:
                stopAll(at: at)
            case .reopened:
                start(.resolution, at: at)
                if complaint.department != nil { start(.customerUpdate, at: at) }
                cycles[.returnVisit] = nil
                cycles[.verification] = nil
                cycles[.departmentResult] = nil
            case .delayDecided(let decision):
                if decision.approved, let request = complaint.pendingDelay, request.until > at {
                    pauses.add(DateInterval(start: at, end: request.until))
                }
            case .customerContacted, .customerResponded, .reassigned, .reclassified, .analysisSubmitted,
                .delayRequested, .noteAdded, .incidentLinked, .duplicateMerged, .mentionConfirmed,
                .caseWritten, .clockAlerted, .messageReceived, .updatePreferenceSet:
                break
            // A delivered message keeps the customer informed: the update cadence starts again from it.
            case .customerUpdated:
                if cycles[.customerUpdate] != nil { start(.customerUpdate, at: at) }
            }
            complaint.apply(event)
        }

        let basis = policy.basis(priority: complaint.priority, severity: complaint.severity)
        let intervals = pauses.intervals
        return ClockKind.allCases.compactMap { clock in
            guard let cycle = cycles[clock],
                let limit = policy.limit(for: clock, priority: complaint.priority, severity: complaint.severity)
            else { return nil }
            let due = calendar.deadline(for: limit, basis: basis, from: cycle.start, pauses: intervals)
            return ClockStatus(
                clock: clock, limit: limit, basis: basis, startedAt: cycle.start, dueAt: due, stoppedAt: cycle.stop,
                usedPercent: usedPercent(from: cycle.start, due: due, stop: cycle.stop, basis: basis, pauses: intervals)
            )
        }
    }

    /// The share of its allowance a stopped clock used, counted as its deadline was (`ClockStatus.usedPercent`).
    private func usedPercent(from start: Date, due: Date?, stop: Date?, basis: TimeBasis, pauses: [DateInterval])
        -> Int?
    {
        guard let due, let stop else { return nil }
        let allowance = calendar.elapsed(from: start, to: due, basis: basis, pauses: pauses)
        let used = calendar.elapsed(from: start, to: stop, basis: basis, pauses: pauses)
        // A clock due the instant it starts (a deadline already passed) has no allowance: on time or not at all.
        guard allowance > 0 else { return stop <= due ? 100 : Self.farBeyond }
        let percent = (used / allowance * 100).rounded()
        // Stopped after its deadline yet counted within it (after hours, the counting paused): just over, not under.
        if stop > due && percent <= 100 { return 101 }
        return Int(min(percent, Double(Self.farBeyond)))
    }

    /// What a clock that used far more than its allowance (or had none and missed it) is counted as.
    static let farBeyond = 100_000

    /// The earliest deadline among running clocks: what the watcher's index orders by.
    public static func nextDue(_ clocks: [ClockStatus]) -> Date? { nearest(clocks)?.dueAt }

    /// The running clock with the earliest deadline (the first of them, in `clocks`' order, on a tie).
    public static func nearest(_ clocks: [ClockStatus]) -> ClockStatus? {
        clocks.filter { $0.isRunning && $0.dueAt != nil }.min { $0.dueAt! < $1.dueAt! }
    }
}

/// Pause intervals met while replaying a history; an unfinished wait for the customer stays open-ended.
private struct PauseCollector {
    private(set) var closed: [DateInterval] = []
    private var openSince: Date?

    mutating func open(at instant: Date) { if openSince == nil { openSince = instant } }

    mutating func close(at instant: Date) {
        guard let since = openSince else { return }
        closed.append(DateInterval(start: since, end: max(since, instant)))
        openSince = nil
    }

    mutating func add(_ interval: DateInterval) { closed.append(interval) }

    var intervals: [DateInterval] {
        guard let openSince else { return closed }
        return closed + [DateInterval(start: openSince, end: .distantFuture)]
    }
}
