import CloseloopCore
import CloseloopStore
import Foundation

/// The one path every change to a complaint takes, from the API, the web pages, the CLI's import and the
/// background services: load, ask the domain, recompute the clocks, store in one transaction.
public struct ComplaintService: Sendable {
    public let store: SQLStore
    public let settings: LoopSettings
    public let time: any TimeSource

    public init(store: SQLStore, settings: LoopSettings, time: any TimeSource) {
        self.store = store
        self.settings = settings
        self.time = time
    }

    /// Records a new complaint. `receivedAt` (letters, imports) may lie in the past, never in the future. `repeatOf`
    /// names the same customer's earlier complaint about the same issue, which makes this one a major complaint.
    public func create(
        _ intake: Intake, receivedAt: Date? = nil, repeatOf: String? = nil, idempotencyKey: String? = nil,
        by actor: Actor
    ) async throws -> (record: ComplaintRecord, replayed: Bool) {
        let now = time.instant()
        let received = receivedAt?.truncatedToMilliseconds ?? now
        if received > now {
            throw DomainError.validation([
                FieldIssue(
                    field: "receivedAt", code: "in_future",
                    message: LocalizedText(zh: "受理时间不能晚于当前时间", en: "cannot be in the future"))
            ])
        }
        var issues = intake.problems()
        let (policy, calendar) = await settings.current()
        if let repeatOf, let problem = try await repeatProblem(repeatOf, of: intake, before: received, policy: policy) {
            issues.append(problem)
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let localDate = calendar.localDate(of: received)
        let fingerprint = try RequestFingerprint.of(intake, receivedAt: receivedAt, repeatOf: repeatOf)
        return try await store.create(year: localDate.year, idempotencyKey: idempotencyKey, fingerprint: fingerprint) {
            sequence in
            let number = policy.numbering.format(sequence: sequence, on: localDate)
            let (complaint, event) = try Workflow(policy: policy).receive(
                intake, id: ComplaintID(UUID().uuidString.lowercased()), number: number, repeatOf: repeatOf,
                at: received,
                by: actor)
            let clocks = ClockSchedule(policy: policy, calendar: calendar).clocks(for: [event])
            return (ComplaintRecord(complaint: complaint, clocks: clocks), event)
        }
    }

    /// Why `number` cannot be the complaint a new intake repeats, or nil when it can: it must exist, be the same
    /// customer's (same phone or email) and have been received within the policy's repeat window.
    private func repeatProblem(_ number: String, of intake: Intake, before received: Date, policy: ServicePolicy)
        async throws -> FieldIssue?
    {
        guard let earlier = try await store.record(number: number)?.complaint, earlier.receivedAt <= received else {
            return FieldIssue(
                field: "repeatOf", code: "unknown_complaint",
                message: LocalizedText(zh: "找不到投诉 \(number)", en: "no earlier complaint \(number)"))
        }
        let before = earlier.intake.customer
        let now = intake.customer
        let samePhone =
            before.phone.map(PhoneKey.normalized) != nil
            && before.phone.map(PhoneKey.normalized) == now.phone.map(PhoneKey.normalized)
        let sameEmail = before.email != nil && before.email?.lowercased() == now.email?.lowercased()
        guard samePhone || sameEmail else {
            return FieldIssue(
                field: "repeatOf", code: "other_customer",
                message: LocalizedText(zh: "该投诉属于其他客户", en: "belongs to another customer"))
        }
        guard received.timeIntervalSince(earlier.receivedAt) <= Double(policy.repeatWindowDays) * 86_400 else {
            return FieldIssue(
                field: "repeatOf", code: "outside_window",
                message: LocalizedText(
                    zh: "超过 \(policy.repeatWindowDays) 天的重复投诉期限",
                    en: "is older than the \(policy.repeatWindowDays)-day repeat window"))
        }
        return nil
    }

    /// Performs one action of the loop. `expectedVersion` is the version the caller last read; a newer one on the
    /// server is a conflict, never a silent overwrite.
    public func perform(
        _ action: ComplaintAction, on id: ComplaintID, expectedVersion: Int?, by actor: Actor
    ) async throws -> ComplaintRecord {
        let history = try await store.history(of: id)
        guard let complaint = Complaint(id: id, history: history) else { throw StoreError.complaintNotFound }
        if let expectedVersion, expectedVersion != complaint.version {
            throw StoreError.versionConflict(expected: expectedVersion, current: complaint.version)
        }
        let (policy, calendar) = await settings.current()
        let events = try Workflow(policy: policy).apply(action, to: complaint, by: actor, at: time.instant())
        var updated = complaint
        for event in events { updated.apply(event) }
        let clocks = ClockSchedule(policy: policy, calendar: calendar).clocks(for: history + events)
        let record = ComplaintRecord(complaint: updated, clocks: clocks)
        try await store.append(events, producing: record, expectedVersion: complaint.version)
        return record
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
