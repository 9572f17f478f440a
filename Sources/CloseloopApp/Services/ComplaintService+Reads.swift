import CloseloopCore
import CloseloopStore
import Foundation

/// Reading complaints: one by number or id, its history, lists and searches, and what the live queues and the
/// deadline watcher poll.
extension ComplaintService {
    public func record(number: String) async throws -> ComplaintRecord? { try await store.record(number: number) }
    public func record(id: ComplaintID) async throws -> ComplaintRecord? { try await store.record(id: id) }
    public func history(of id: ComplaintID) async throws -> [ComplaintEvent] { try await store.history(of: id) }
    public func list(_ query: ComplaintQuery) async throws -> ComplaintPage { try await store.list(query) }
    /// What a list row shows of each complaint `query` finds, without reading any complaint whole.
    public func summaries(_ query: ComplaintQuery) async throws -> SummaryPage { try await store.summaries(query) }
    /// How many complaints `query` finds, every page together.
    public func count(_ query: ComplaintQuery) async throws -> Int { try await store.count(query) }
    /// The complaints merged into complaint `number` (并单), oldest first.
    public func merged(into number: String) async throws -> [ComplaintRecord] {
        try await store.complaints(mergedInto: number)
    }

    /// What the complaint's customer was sent, oldest first, with whether each was delivered.
    public func customerMessages(of id: ComplaintID) async throws -> [OutboxMessage] {
        try await store.outboxMessages(complaint: id, topicPrefix: "customer.")
    }

    /// A stamp that moves whenever any complaint changes, on any instance: what a live queue polls.
    public func latestChange() async throws -> Int64? { try await store.latestComplaintChange() }

    /// The complaints whose next warning or breach is due now, at most `limit`.
    public func dueForAlerts(limit: Int) async throws -> [ComplaintID] {
        try await store.complaintsWithAlertsDue(at: time.instant(), limit: limit)
    }

    /// Records that `user` saw a complaint's personal data in full, and why (SPEC §1: every view is logged).
    public func recordPersonalDataView(of complaint: ComplaintID, by user: UserID, purpose: String) async throws {
        try await store.logPersonalDataView(of: complaint, by: user, at: time.instant(), purpose: purpose)
    }
}
