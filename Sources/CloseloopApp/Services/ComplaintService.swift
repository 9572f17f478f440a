import CloseloopCore
import CloseloopStore
import Foundation

/// The one path every change to a complaint takes, from the API, the web pages, the CLI's import and the
/// background services: load, ask the domain, recompute the clocks, store in one transaction.
public struct ComplaintService: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource
    let links: CustomerLinks
    /// Whether customers are told of their complaints (`CustomerNotices`); off for the demo's made-up history.
    var notifiesCustomers = true
    /// Suggests each new complaint's classification, recorded after it is taken.
    var suggestions: ClassificationSuggestions?
    /// Told of each intake taken or failed, for the instance's health check.
    var health: HealthRecorder?

    /// Where a new complaint comes from, which bounds how far back its received-at may reach.
    public enum Origin: Sendable {
        /// Entered now by an agent, the customer or a client system: a letter opened late, not an archive.
        case live
        /// Brought over from an earlier system's archive (`closeloop import`).
        case archive
    }

    /// Records a new complaint. `receivedAt` (letters, imports) may lie in the past, within the policy's window for
    /// `origin`, never in the future. `repeatOf` names the same customer's earlier complaint about the same issue,
    /// which makes this one a major complaint. An idempotency key is the caller's own: another caller's equal key is
    /// another request.
    public func create(
        _ intake: Intake, receivedAt: Date? = nil, repeatOf: String? = nil, idempotencyKey: String? = nil,
        origin: Origin = .live, by actor: Actor
    ) async throws -> (record: ComplaintRecord, replayed: Bool) {
        do {
            let result = try await receive(
                intake, receivedAt: receivedAt, repeatOf: repeatOf, idempotencyKey: idempotencyKey, origin: origin,
                by: actor)
            OperationalMetrics.intake(channel: intake.channel, outcome: result.replayed ? .replayed : .created)
            health?.intake(failed: false)
            return result
        } catch {
            // The caller's to fix (invalid, or a reused idempotency key), or the server's.
            let refused = error is DomainError || error as? StoreError == .idempotencyKeyReused
            OperationalMetrics.intake(channel: intake.channel, outcome: refused ? .refused : .failed)
            if !refused { health?.intake(failed: true) }
            throw error
        }
    }

    private func receive(
        _ intake: Intake, receivedAt: Date?, repeatOf: String?, idempotencyKey: String?, origin: Origin,
        by actor: Actor
    ) async throws -> (record: ComplaintRecord, replayed: Bool) {
        let now = time.instant()
        let received = receivedAt?.truncatedToMilliseconds ?? now
        let (policy, calendar) = await settings.current()
        var issues = intake.problems()
        issues += try await referenceIssues(of: intake)
        if let problem = Self.receivedProblem(received, now: now, origin: origin, policy: policy, calendar: calendar) {
            issues.append(problem)
        }
        let alerts = AlertSchedule(policy: await settings.alertPolicy())
        // A major or crisis complaint is reported to management in the intake's transaction; whom to tell is read
        // before the transaction so the writer is not held up.
        let opening = Complaint.initialSeverity(of: intake, isRepeat: repeatOf != nil)
        let management =
            policy.reportsToManagement(at: opening, previously: nil)
            ? try await AlertNotifier(store: store).managementTargets() : []
        if let repeatOf, let problem = try await repeatProblem(repeatOf, of: intake, before: received, policy: policy) {
            issues.append(problem)
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let mentioned = try await mentionedStaff(in: intake)
        let localDate = calendar.localDate(of: received)
        // Only a request that may be replayed needs its fingerprint (it costs an encoding and a hash).
        let fingerprint =
            idempotencyKey == nil ? "" : try RequestFingerprint.of(intake, receivedAt: receivedAt, repeatOf: repeatOf)
        let id = ComplaintID(TimeOrderedID.make(at: now))
        // An archive brought over is not announced to its customers; a live complaint is acknowledged.
        let notices = origin == .live && notifiesCustomers ? try await customerNotices(for: id) : nil
        // A live complaint gets its classification suggested once, recorded with it (an archive was classified).
        let suggestion = origin == .live ? await suggestions?.recordable(for: intake, of: id) : nil
        let result = try await store.create(
            year: policy.numbering.counter(forYear: localDate.year),
            idempotencyKey: idempotencyKey.map { Self.scoped($0, to: actor) }, fingerprint: fingerprint,
            number: { policy.numbering.format(sequence: $0, on: localDate) }
        ) { number in
            let (complaint, event) = try Workflow(policy: policy).receive(
                intake, id: id, number: number, repeatOf: repeatOf,
                mentionedStaff: mentioned, at: received, by: actor)
            let clocks = ClockSchedule(policy: policy, calendar: calendar).clocks(for: [event])
            let nextAlert = alerts.nextAlert(clocks: clocks, history: [event], after: received)
            return (ComplaintRecord(complaint: complaint, clocks: clocks, nextAlertAt: nextAlert), event)
        } effects: { record in
            let first = ComplaintEvent(
                sequence: 1, at: received, actor: actor.reference,
                change: .received(.init(number: record.complaint.number, intake: record.complaint.intake)))
            return ComplaintEffects(
                outbox: AlertNotifier.managementReport(record.complaint, policy: policy, to: management, at: now)
                    + (notices?.messages(for: [first], on: record.complaint, at: now) ?? []),
                suggestion: suggestion)
        }
        return result
    }

    /// Records on its complaint that a message reached the customer (SPEC §3: the update cadence starts again from
    /// it). A complaint closed meanwhile has nothing to keep up; a concurrent change is read again (`perform`).
    public func recordDelivery(of message: OutboxMessage) async throws {
        guard let id = message.complaintID else { return }
        let update = EventChange.CustomerUpdated(
            topic: String(message.topic.prefix(TextRules.short)), channel: message.channel, messageID: message.id)
        do {
            _ = try await perform(.recordCustomerUpdate(update), on: id, expectedVersion: nil, by: .system)
        } catch DomainError.wrongState {
            return
        }
    }

    /// What the customer is told, with the link to `complaint`; read before a write transaction begins. The staff
    /// list is read only for steps whose message quotes what staff wrote.
    func customerNotices(for complaint: ComplaintID, redactingStaffNames: Bool = false) async throws
        -> CustomerNotices
    {
        let delivery = await settings.deliverySettings()
        return CustomerNotices(
            templates: await settings.messageTemplates(), delivery: delivery,
            settings: await settings.customerNotices(), weChat: await settings.weChatSettings(),
            staff: redactingStaffNames ? try await store.users().map { .init(id: $0.id, name: $0.displayName) } : [],
            link: try await links.url(for: complaint, portal: delivery.portalURL))
    }

    /// An idempotency key as the store keeps it: the caller's own, so a colleague's equal key never replays a
    /// complaint that is not theirs.
    static func scoped(_ key: String, to actor: Actor) -> String {
        switch actor {
        case .staff(let member): "staff:\(member.id.rawValue):\(key)"
        case .customer: "customer:\(key)"
        case .system: "system:\(key)"
        }
    }

    /// Why a complaint cannot say it was received at `received`: in the future, before the window the policy allows
    /// for its origin, or at a date the business calendar cannot number.
    static func receivedProblem(
        _ received: Date, now: Date, origin: Origin, policy: ServicePolicy, calendar: BusinessCalendar
    ) -> FieldIssue? {
        if received > now {
            return FieldIssue(
                field: "receivedAt", code: "in_future",
                message: LocalizedText(zh: "受理时间不能晚于当前时间", en: "cannot be in the future"))
        }
        let earliest: Date
        let window: LocalizedText
        switch origin {
        case .live:
            earliest = now.addingTimeInterval(-Double(policy.intakeBackdateDays) * 86_400)
            window = LocalizedText(
                zh: "不能早于 \(policy.intakeBackdateDays) 天前（历史投诉请用导入）",
                en: "cannot be more than \(policy.intakeBackdateDays) days ago (import archived complaints instead)")
        case .archive:
            let today = calendar.localDate(of: now)
            let limit = LocalDate(year: today.year - policy.importBackdateYears, month: 1, day: 1)
            earliest = calendar.startOfDay(limit)
            window = LocalizedText(
                zh: "不能早于 \(today.year - policy.importBackdateYears) 年",
                en: "cannot be before \(today.year - policy.importBackdateYears)")
        }
        guard received >= earliest else {
            return FieldIssue(field: "receivedAt", code: "too_old", message: window)
        }
        return nil
    }

    /// Why `number` cannot be the complaint a new intake repeats (`RepeatRule`), or nil when it can.
    private func repeatProblem(_ number: String, of intake: Intake, before received: Date, policy: ServicePolicy)
        async throws -> FieldIssue?
    {
        RepeatRule.problem(
            repeating: number, earlier: try await store.record(number: number)?.complaint, intake: intake,
            receivedAt: received, policy: policy)
    }

    /// Performs one action of the loop. `expectedVersion` is the version the caller last read; a newer one on the
    /// server is a conflict, never a silent overwrite.
    ///
    /// The version is checked when the history is read and again when the write commits. A record that lands in
    /// between (the outbox recording a delivery, the watcher an alert) fails only the second check: what the caller
    /// acted on is still current, so the action is read and decided again, at most `writeAttempts` times. Anything a
    /// person did in between fails the first check on the next read and stays a conflict.
    public func perform(
        _ action: ComplaintAction, on id: ComplaintID, expectedVersion: Int?, by actor: Actor
    ) async throws -> ComplaintRecord {
        var attempt = 1
        while true {
            let writes: [ComplaintWrite]
            if case .merge(let into, let reason) = action {
                writes = try await merge(id, into: into, reason: reason, expectedVersion: expectedVersion, by: actor)
            } else {
                writes = [try await decide(action, on: id, expectedVersion: expectedVersion, by: actor)]
            }
            do {
                try await store.append(writes)
                return writes[0].record
            } catch StoreError.versionConflict where attempt < Self.writeAttempts {
                attempt += 1
            }
        }
    }

    /// How often an action is decided again after the complaint gained only background records meanwhile.
    static let writeAttempts = 4

    /// The write `action` makes of the complaint as it stands now, checked against the version the caller read.
    private func decide(
        _ action: ComplaintAction, on id: ComplaintID, expectedVersion: Int?, by actor: Actor
    ) async throws -> ComplaintWrite {
        let history = try await store.history(of: id)
        guard let complaint = Complaint(id: id, history: history) else { throw StoreError.complaintNotFound }
        let references = try await referenceIssues(of: action)
        guard references.isEmpty else { throw DomainError.validation(references) }
        try Self.checkVersion(expectedVersion, of: complaint, history: history, by: actor)
        let settled = await settings.current()
        let now = time.instant()
        let events = try Workflow(policy: settled.policy).apply(action, to: complaint, by: actor, at: now)
        // The handler's target is checked against the resolution deadline the assignment itself sets.
        if case .assign(let assignment) = action, let due = assignment.handlerDue {
            let issues = ClockSchedule(policy: settled.policy, calendar: settled.calendar)
                .handlerDueProblems(due, after: history + events, now: now)
            guard issues.isEmpty else { throw DomainError.validation(issues) }
        }
        return try await write(
            events, to: complaint, history: history, action: action, settings: settled, by: actor, at: now)
    }

    /// Refuses a change decided on a stale version. Staff act on the version they read, always: a form or request
    /// without it (an old page, a hand-made post) is stale rather than let past the optimistic lock. Customers and
    /// the system act on what is current. Only what a person could have acted on makes their version stale: the
    /// outbox recording a delivered message or the watcher an alert in between does not (else every step that tells
    /// the customer would refuse the next form for a few seconds).
    static func checkVersion(
        _ expectedVersion: Int?, of complaint: Complaint, history: [ComplaintEvent], by actor: Actor
    ) throws {
        if case .staff = actor, expectedVersion == nil {
            throw StoreError.versionConflict(expected: 0, current: complaint.version)
        }
        if let expectedVersion, expectedVersion != complaint.version {
            let since = history.filter { $0.sequence > expectedVersion }
            guard (1..<complaint.version).contains(expectedVersion), since.allSatisfy(\.isBackgroundRecord) else {
                throw StoreError.versionConflict(expected: expectedVersion, current: complaint.version)
            }
        }
    }

    /// What `events` make of `complaint`: the record with its clocks, and the effects (penalties waived, a case
    /// drafted, management and the customer told), ready to be stored.
    func write(
        _ events: [ComplaintEvent], to complaint: Complaint, history: [ComplaintEvent], action: ComplaintAction?,
        settings settled: (policy: ServicePolicy, calendar: BusinessCalendar), by actor: Actor, at now: Date
    ) async throws -> ComplaintWrite {
        let (policy, calendar) = settled
        let id = complaint.id
        var updated = complaint
        for event in events { updated.apply(event) }
        let all = history + events
        let clocks = ClockSchedule(policy: policy, calendar: calendar).clocks(for: all)
        let nextAlert = AlertSchedule(policy: await settings.alertPolicy()).nextAlert(
            clocks: clocks, history: all, after: now)
        let record = ComplaintRecord(complaint: updated, clocks: clocks, nextAlertAt: nextAlert)
        var effects = ComplaintEffects()
        if let reason = Penalties.waiver(in: events) { effects.waivePenalties = (reason, now) }
        if case .writeCase(let writeUp)? = action, case .staff(let author) = actor {
            effects.caseDraft = CaseLibrary.draft(of: updated, writeUp, by: author.id, at: now)
        }
        // A complaint made major by joining an incident is reported with the incident, not once more on its own.
        let joinedIncident = events.contains { if case .incidentLinked = $0.change { true } else { false } }
        if !joinedIncident, policy.reportsToManagement(at: updated.severity, previously: complaint.severity) {
            effects.outbox += try await AlertNotifier(store: store).managementReport(updated, policy: policy, at: now)
        }
        if notifiesCustomers {
            let quotesStaff = events.contains { CustomerNotices.quotesStaffText($0.change) }
            effects.outbox += try await customerNotices(for: id, redactingStaffNames: quotesStaff).messages(
                for: events, on: updated, at: now)
        }
        return ComplaintWrite(events: events, record: record, expectedVersion: complaint.version, effects: effects)
    }

    /// Records the warnings and breaches a complaint owes now (the deadline watcher's work for one complaint), with
    /// the penalties they incur, in one transaction at the version read. Returns how many alerts were recorded; a
    /// complaint changed meanwhile by someone else (or another instance's watcher) throws a version conflict and is
    /// looked at again on the next pass.
    @discardableResult
    public func raiseAlerts(on id: ComplaintID) async throws -> Int {
        let history = try await store.history(of: id)
        guard let complaint = Complaint(id: id, history: history),
            let current = try await store.record(id: id)
        else { throw StoreError.complaintNotFound }
        let (policy, calendar) = await settings.current()
        let alertPolicy = await settings.alertPolicy()
        let schedule = AlertSchedule(policy: alertPolicy)
        let now = time.instant()
        let clocks = ClockSchedule(policy: policy, calendar: calendar).clocks(for: history)
        let owed = schedule.due(clocks: clocks, history: history, at: now)
        guard !owed.isEmpty else {
            let next = schedule.nextAlert(clocks: clocks, history: history, after: now)
            if next != current.nextAlertAt { try await store.setNextAlert(next, of: current) }
            return 0
        }
        let events = Workflow(policy: policy).raise(owed, on: complaint, at: now)
        var updated = complaint
        for event in events { updated.apply(event) }
        let all = history + events
        let record = ComplaintRecord(
            complaint: updated, clocks: clocks,
            nextAlertAt: schedule.nextAlert(clocks: clocks, history: all, after: now))
        var effects = ComplaintEffects()
        effects.penalties = Penalties.incurred(
            by: owed, on: complaint, policy: policy, finedClocks: alertPolicy.penaltyClocks
        ).map { PenaltyEntry($0, of: id, at: now) }
        effects.outbox = try await AlertNotifier(store: store).messages(
            for: owed,
            .init(
                complaint: updated, policy: alertPolicy, templates: await settings.messageTemplates(),
                calendar: calendar, clocks: clocks, now: now))
        // SPEC §3's update cadence reaches the customer on their channel; once delivered it meets the clock.
        if notifiesCustomers, owed.contains(where: { $0.clock == .customerUpdate && $0.kind == .warning }),
            let update = try await customerNotices(for: id).progressUpdate(
                of: updated, resolutionDue: clocks.first { $0.clock == .resolution }?.dueAt, calendar: calendar,
                at: now)
        {
            effects.outbox.append(update)
        }
        try await store.append(events, producing: record, expectedVersion: complaint.version, effects: effects)
        return events.count
    }

    /// A complaint by id, or by number when no id matches.
    public func find(_ idOrNumber: String) async throws -> ComplaintRecord? {
        if let record = try await store.record(id: ComplaintID(idOrNumber)) { return record }
        return try await store.record(number: idOrNumber)
    }

    /// The workflow under the current policy, for asking what an actor may do.
    public func workflow() async -> Workflow {
        Workflow(policy: await settings.current().policy)
    }
}

/// A digest of a create request, so a reused idempotency key with a different body is caught.
enum RequestFingerprint {
    static func of(_ intake: Intake, receivedAt: Date?, repeatOf: String?) throws -> String {
        struct Fingerprinted: Encodable {
            var intake: Intake
            var receivedAt: Date?
            var repeatOf: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let data = try encoder.encode(Fingerprinted(intake: intake, receivedAt: receivedAt, repeatOf: repeatOf))
        return Digest.sha256(data)
    }
}
