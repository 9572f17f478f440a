import CloseloopCore
import CloseloopStore
import Foundation
import Synchronization
import Testing

/// The people, intakes and instants the store suites share. Every instant is fixed; nothing reads the clock.
enum StoreFixtures {
    // MARK: Departments and staff

    static let callCentre = DepartmentID("call-centre")
    static let afterSales = DepartmentID("after-sales")
    static let logistics = DepartmentID("logistics")

    /// 接待员, who records every complaint of the suite.
    static let agent = StaffMember(
        id: UserID("li.na"), displayName: "李娜", department: callCentre, grants: [RoleGrant(.agent)])
    static let otherAgent = StaffMember(
        id: UserID("zhou.min"), displayName: "周敏", department: callCentre, grants: [RoleGrant(.agent)])
    /// 客服主管, who assigns.
    static let supervisor = StaffMember(
        id: UserID("wang.qiang"), displayName: "王强", department: callCentre, grants: [RoleGrant(.supervisor)])

    // MARK: Instants

    /// An instant from an ISO 8601 string with its offset, e.g. "2026-04-13T09:00:00+08:00".
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { preconditionFailure("Bad instant in a test: \(text)") }
        return date
    }

    /// Monday 2026-04-13 09:00 in Beijing, an ordinary working morning.
    static let mondayMorning = instant("2026-04-13T09:00:00+08:00")

    // MARK: Intake

    /// A phone complaint that passes validation, with the given text and contact.
    static func intake(
        subject: String = "沙发送货延误且有破损", description: String = "约定 4 月 1 日送货，实际 4 月 3 日才送到，扶手有明显划痕。",
        phone: String? = "138 1234 5678", priority: Priority = .p2, severity: Severity = .dissatisfied
    ) -> Intake {
        Intake(
            channel: .phone, customer: CustomerDetails(name: "张伟", phone: phone, email: "zhang.wei@example.cn"),
            reference: "SO-2026-04-0088", subject: subject, description: description, priority: priority,
            severity: severity)
    }

    /// What the supervisor decides at classification.
    static func assignment(
        priority: Priority = .p2, department: DepartmentID = afterSales, owner: UserID = agent.id
    ) -> ComplaintAction.Assignment {
        ComplaintAction.Assignment(
            category: "delivery", subcategory: "damage", priority: priority, severity: .dissatisfied,
            department: department, owner: owner)
    }

    private static let createdSoFar = Atomic<Int>(0)

    /// A new complaint id that sorts after every id the suite made before it (zero-padded), as numbers would.
    static func nextComplaintID() -> ComplaintID {
        let digits = String(createdSoFar.add(1, ordering: .relaxed).newValue)
        return ComplaintID("cmp-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits)
    }

    /// The sequence at the end of a standard number (`{YY}{MM}{DD}{SEQ:3}`): everything after the date.
    static func sequence(of number: String) -> Int? { Int(number.dropFirst(6)) }
}

/// Drives complaints through the core and into the store as the server does: `Workflow` decides the events, the
/// complaint folds them in, `ClockSchedule` recomputes the clocks from the whole history, and the store writes it all.
struct ComplaintDesk: Sendable {
    let store: SQLStore
    let workflow = Workflow(policy: .standard)
    let schedule = ClockSchedule(policy: .standard, calendar: .chinaMainland)

    /// Events an action produced and the record they lead to, not written yet.
    struct Change: Sendable {
        var events: [ComplaintEvent]
        var record: ComplaintRecord
        var expectedVersion: Int
    }

    /// Records `intake` received at `instant` by the standard agent: numbered in the year of its local date.
    @discardableResult
    func receive(
        _ intake: Intake, at instant: Date, idempotencyKey: String? = nil, fingerprint: String = "intake"
    ) async throws -> (record: ComplaintRecord, replayed: Bool) {
        let workflow = workflow
        let schedule = schedule
        let date = schedule.calendar.localDate(of: instant)
        return try await store.create(
            year: date.year, idempotencyKey: idempotencyKey, fingerprint: fingerprint,
            number: { ComplaintNumbering.standard.format(sequence: $0, on: date) }
        ) { number in
            let (complaint, event) = try workflow.receive(
                intake, id: StoreFixtures.nextComplaintID(), number: number, at: instant,
                by: .staff(StoreFixtures.agent))
            return (ComplaintRecord(complaint: complaint, clocks: schedule.clocks(for: [event])), event)
        }
    }

    /// What `action` would write now, computed from the stored record and history.
    func prepare(
        _ action: ComplaintAction, on id: ComplaintID, by actor: Actor, at instant: Date
    ) async throws -> Change {
        let current = try #require(try await store.record(id: id))
        let history = try await store.history(of: id)
        let events = try workflow.apply(action, to: current.complaint, by: actor, at: instant)
        var complaint = current.complaint
        for event in events { complaint.apply(event) }
        let record = ComplaintRecord(complaint: complaint, clocks: schedule.clocks(for: history + events))
        return Change(events: events, record: record, expectedVersion: current.complaint.version)
    }

    /// Performs `action` and writes its events; returns the new record.
    @discardableResult
    func perform(
        _ action: ComplaintAction, on id: ComplaintID, by actor: Actor, at instant: Date
    ) async throws -> ComplaintRecord {
        try await write(try await prepare(action, on: id, by: actor, at: instant))
    }

    @discardableResult
    func write(_ change: Change) async throws -> ComplaintRecord {
        try await store.append(change.events, producing: change.record, expectedVersion: change.expectedVersion)
        return change.record
    }

    /// Completeness confirmed and validity decided, a minute apart from `instant`: the complaint is `validated`.
    @discardableResult
    func validate(_ id: ComplaintID, at instant: Date) async throws -> ComplaintRecord {
        let agent = Actor.staff(StoreFixtures.agent)
        try await perform(
            .checkCompleteness(complete: true, missing: [], note: "身份、联系方式、订单号已核实"), on: id, by: agent, at: instant)
        return try await perform(
            .decideValidity(valid: true, reason: "情况属实"), on: id, by: agent, at: instant.addingTimeInterval(60))
    }

    /// Validated and then assigned by the supervisor: the complaint is `investigating`.
    @discardableResult
    func assign(
        _ id: ComplaintID, _ assignment: ComplaintAction.Assignment, at instant: Date
    ) async throws -> ComplaintRecord {
        try await validate(id, at: instant)
        return try await perform(
            .assign(assignment), on: id, by: .staff(StoreFixtures.supervisor), at: instant.addingTimeInterval(120))
    }

    /// Adds an internal note by the agent: the simplest event that fits any open state.
    @discardableResult
    func note(_ id: ComplaintID, _ text: String, at instant: Date) async throws -> ComplaintRecord {
        try await perform(.addNote(text: text, isInternal: true), on: id, by: .staff(StoreFixtures.agent), at: instant)
    }
}
