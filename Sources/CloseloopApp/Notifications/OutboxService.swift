import CloseloopCore
import CloseloopStore
import Foundation
import Logging

/// The outbox as administrators see it: what waits, what went and what failed, and sending a failed message again.
public struct OutboxService: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource
    let audit: AuditLog
    let complaints: ComplaintService

    public func messages(status: OutboxMessage.Status?, limit: Int) async throws -> [OutboxMessage] {
        try await store.outboxMessages(status: status, limit: limit)
    }

    public func counts() async throws -> [OutboxMessage.Status: Int] { try await store.outboxCounts() }

    /// Queues a message to be sent again now; false when there is no such message.
    public func retry(_ id: String, by actor: Operator) async throws -> Bool {
        try actor.require(anyOf: [.administrator])
        guard try await store.requeueOutbox(id, at: time.instant()) else { return false }
        try await audit.record("notify.retry", subject: id, detail: "", by: actor)
        return true
    }

    /// Sends a test message to an address now, signed with `secret` or else the one kept for the address; throws the
    /// receiver's refusal.
    public func sendTest(channel: String, address: String, secret: String? = nil, by actor: Operator) async throws {
        try actor.require(anyOf: [.administrator])
        if let problem = NotificationTarget.problem(channel: channel, address: address) {
            throw DomainError.validation([.invalid("address", zh: "地址不正确", en: problem.description)])
        }
        var signing = secret
        if signing == nil { signing = try await store.notificationSecret(channel: channel, address: address) }
        try await dispatcher().sendTest(channel: channel, address: address, secret: signing)
        try await audit.record("notify.test", subject: address, detail: channel, by: actor)
    }

    /// A dispatcher for the outbox (the server runs one as a background service; `closeloop notify deliver` one pass).
    public func dispatcher(logger: Logger = Logger(label: "closeloop.outbox")) -> OutboxDispatcher {
        let complaints = complaints
        return OutboxDispatcher(
            store: store, settings: settings, time: time, logger: logger, links: complaints.links,
            health: complaints.health
        ) { message in
            do {
                try await complaints.recordDelivery(of: message)
            } catch {
                logger.warning(
                    "a delivered message was not recorded on its complaint",
                    metadata: ["id": "\(message.id)", "error": "\(error)"])
            }
        }
    }
}
