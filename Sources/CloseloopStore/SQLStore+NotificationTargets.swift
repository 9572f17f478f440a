import CloseloopCore
import Foundation
import SQLKit

/// Where a user or a department is told: one channel and address (and, for IM robots and webhooks that sign their
/// requests, the signing secret).
public struct NotificationTarget: Hashable, Sendable {
    public enum Owner: Hashable, Sendable {
        case user(UserID)
        case department(DepartmentID)

        public var kind: String {
            switch self {
            case .user: "user"
            case .department: "department"
            }
        }

        public var id: String {
            switch self {
            case .user(let id): id.rawValue
            case .department(let id): id.rawValue
            }
        }
    }

    public var owner: Owner
    /// `email`, `sms`, `dingtalk`, `wecom`, `feishu`, `slack`, `webhook`.
    public var channel: String
    public var address: String
    public var secret: String?

    public init(owner: Owner, channel: String, address: String, secret: String? = nil) {
        self.owner = owner
        self.channel = channel
        self.address = address
        self.secret = secret
    }

    public static let channels = ["email", "sms", "dingtalk", "wecom", "feishu", "slack", "webhook"]

    /// Why an address cannot be used on a channel.
    public enum Problem: String, Sendable, CustomStringConvertible {
        case unknownChannel = "unknown_channel"
        case notEmail = "not_email"
        case notPhone = "not_phone"
        case notURL = "not_url"

        public var description: String {
            switch self {
            case .unknownChannel: "the channel must be one of \(NotificationTarget.channels.joined(separator: ", "))"
            case .notEmail: "not an email address"
            case .notPhone: "not a phone number"
            case .notURL: "the address must be an http(s) URL"
            }
        }
    }

    /// Why `address` cannot be used on `channel`; nil when it can.
    public static func problem(channel: String, address: String) -> Problem? {
        guard channels.contains(channel) else { return .unknownChannel }
        switch channel {
        case "email": return ContactFormat.isEmail(address) ? nil : .notEmail
        case "sms": return ContactFormat.isPhone(address) ? nil : .notPhone
        default:
            guard let url = URL(string: address), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                return .notURL
            }
            return nil
        }
    }
}

extension SQLStore {
    public func saveNotificationTarget(_ target: NotificationTarget) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO notification_targets (owner_kind, owner_id, channel, address, secret)
                VALUES (\(bind: target.owner.kind), \(bind: target.owner.id), \(bind: target.channel),
                    \(bind: target.address), \(bind: target.secret))
                ON CONFLICT (owner_kind, owner_id, channel, address) DO UPDATE SET secret = excluded.secret
                """
            ).run()
        }
    }

    public func removeNotificationTarget(_ target: NotificationTarget) async throws {
        try await database.transaction { db in
            try await db.delete(from: "notification_targets")
                .where("owner_kind", .equal, target.owner.kind).where("owner_id", .equal, target.owner.id)
                .where("channel", .equal, target.channel).where("address", .equal, target.address).run()
        }
    }

    /// Every target of these owners.
    public func notificationTargets(of owners: [NotificationTarget.Owner]) async throws -> [NotificationTarget] {
        guard !owners.isEmpty else { return [] }
        let all = try await database.read { db in
            try await db.select().columns("owner_kind", "owner_id", "channel", "address", "secret")
                .from("notification_targets").orderBy("owner_kind").orderBy("owner_id").orderBy("channel").all()
                .map { row -> NotificationTarget in
                    let kind = try row.decode(column: "owner_kind", as: String.self)
                    let id = try row.decode(column: "owner_id", as: String.self)
                    return NotificationTarget(
                        owner: kind == "user" ? .user(UserID(id)) : .department(DepartmentID(id)),
                        channel: try row.decode(column: "channel", as: String.self),
                        address: try row.decode(column: "address", as: String.self),
                        secret: try row.decode(column: "secret", as: String?.self))
                }
        }
        let wanted = Set(owners)
        return all.filter { wanted.contains($0.owner) }
    }
}
