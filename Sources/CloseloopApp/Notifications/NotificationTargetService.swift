import CloseloopCore
import CloseloopStore
import Foundation

/// Where people and departments are told (email, SMS, robots, webhooks): listed, added and removed by
/// administrators on `/admin/notifications` and by operators with `closeloop notify`, under the same checks.
public struct NotificationTargetService: Sendable {
    let store: SQLStore
    let audit: AuditLog

    /// The targets of these users and departments.
    public func targets(of owners: [NotificationTarget.Owner]) async throws -> [NotificationTarget] {
        try await store.notificationTargets(of: owners)
    }

    /// Adds a target; the owner must exist and the address must suit the channel.
    public func add(_ target: NotificationTarget, by actor: Operator) async throws {
        try actor.require(anyOf: [.administrator])
        var issues = try await ownerIssues(target.owner)
        if let problem = NotificationTarget.problem(channel: target.channel, address: target.address) {
            issues.append(
                FieldIssue(
                    field: problem == .unknownChannel ? "channel" : "address", code: problem.rawValue,
                    message: LocalizedText(zh: Self.chinese(problem), en: problem.description)))
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        try await store.saveNotificationTarget(target)
        try await audit.record(
            "notify.add", subject: target.owner.id,
            detail: "\(target.channel) \(target.address)\(target.secret == nil ? "" : " (signed)")", by: actor)
    }

    public func remove(_ target: NotificationTarget, by actor: Operator) async throws {
        try actor.require(anyOf: [.administrator])
        try await store.removeNotificationTarget(target)
        try await audit.record(
            "notify.remove", subject: target.owner.id, detail: "\(target.channel) \(target.address)", by: actor)
    }

    private func ownerIssues(_ owner: NotificationTarget.Owner) async throws -> [FieldIssue] {
        let known: Bool
        switch owner {
        case .user(let id): known = try await store.user(id: id)?.active == true
        case .department(let id): known = try await store.departments().contains { $0.id == id }
        }
        return known ? [] : [.invalid("owner", zh: "请选择一位在职员工或一个部门", en: "pick an active user or a department")]
    }

    private static func chinese(_ problem: NotificationTarget.Problem) -> String {
        switch problem {
        case .unknownChannel: "渠道须为 \(NotificationTarget.channels.joined(separator: "、")) 之一"
        case .notEmail: "不是有效的邮箱地址"
        case .notPhone: "不是有效的电话号码"
        case .notURL: "地址须为 http(s) 网址"
        }
    }
}
