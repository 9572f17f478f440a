import CloseloopCore
import CloseloopStore
import Foundation

/// The record of every administrative change (users, departments, settings, notification targets, tokens), whoever
/// made it and from where; listed at `/admin/audit`.
public struct AuditLog: Sendable {
    let store: SQLStore
    let time: any TimeSource

    public func record(_ action: String, subject: String, detail: String, by actor: Operator) async throws {
        try await store.recordAudit(
            AuditEntry(at: time.instant(), actor: actor.auditName, action: action, subject: subject, detail: detail))
    }

    /// The newest entries first.
    public func entries(limit: Int, by actor: Operator) async throws -> [AuditEntry] {
        try actor.require(anyOf: [.administrator, .quality])
        return try await store.auditEntries(limit: limit)
    }
}
