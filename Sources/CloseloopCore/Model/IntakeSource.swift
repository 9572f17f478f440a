/// What `Intake.source` names: a webhook source or a WeChat official account, kept as `kind:name`.
public struct IntakeSource: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case webhook, wechat
    }

    public var kind: Kind
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// The source an intake's `source` text names; nil for any other text.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
        self.init(kind, parts[1])
    }

    /// As `Intake.source` keeps it.
    public var text: String { "\(kind.rawValue):\(name)" }
}
