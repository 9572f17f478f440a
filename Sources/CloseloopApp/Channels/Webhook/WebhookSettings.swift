import CloseloopCore
import Foundation

/// The systems allowed to post customers' messages (an app, a marketplace's chat, a CRM), each with its own secret.
/// Stored in `settings` under `webhooks`.
public struct WebhookSettings: Hashable, Codable, Sendable {
    public struct Source: Hashable, Codable, Sendable {
        /// The name in the URL: `/api/v1/intake/webhook/<name>`.
        public var name: String
        public var secret: String
        /// The channel its complaints are recorded with: `im` for chats and apps, `api` for other systems.
        public var channel: Channel
        public var enabled: Bool
        /// Where its complaints are routed to start with (the supervisor's assignment form preselects them).
        public var department: DepartmentID?
        public var category: String?

        public init(
            name: String, secret: String, channel: Channel = .im, enabled: Bool = true, department: DepartmentID? = nil,
            category: String? = nil
        ) {
            self.name = name
            self.secret = secret
            self.channel = channel
            self.enabled = enabled
            self.department = department
            self.category = category
        }
    }

    public var sources: [Source]
    /// How far a request's timestamp may be from now, either way, in seconds.
    public var replayWindowSeconds: Int

    public init(sources: [Source], replayWindowSeconds: Int = 300) {
        self.sources = sources
        self.replayWindowSeconds = replayWindowSeconds
    }

    public static let none = WebhookSettings(sources: [])

    /// Configuration problems, each a sentence; empty when the settings can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        for source in sources {
            let valid =
                !source.name.isEmpty && source.name.count <= 64
                && source.name.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                }
            if !valid { problems.append("the source name \(source.name) must be 1–64 of a–z, 0–9, - and _") }
            if !seen.insert(source.name).inserted { problems.append("the source name \(source.name) is used twice") }
            if source.secret.count < 16 {
                problems.append("the secret of \(source.name) must have 16 characters or more")
            }
            if ![.im, .api, .web].contains(source.channel) {
                problems.append("the channel of \(source.name) must be im, api or web")
            }
        }
        if !(30...3600).contains(replayWindowSeconds) { problems.append("the replay window must be 30 s to 1 hour") }
        return problems
    }
}
