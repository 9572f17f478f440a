import Foundation

/// The channel settings' secrets as people see them: never shown again once saved (`***` in the command line's
/// documents and the audit log, an empty field on the pages), and kept when a change gives them back that way.
public enum ChannelSecrets {
    /// What stands for a saved secret.
    public static let hidden = "***"

    /// Whether `given` means "keep the saved one".
    public static func keeps(_ given: String?) -> Bool { given == nil || given == "" || given == hidden }

    /// The settings as the audit log keeps them: JSON with every secret hidden.
    public static func auditDetail<Settings: Encodable>(_ settings: Settings) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(settings), as: UTF8.self)) ?? ""
    }
}

extension MailboxSettings {
    /// The settings with the password hidden.
    public func masked() -> MailboxSettings {
        var copy = self
        if !copy.password.isEmpty { copy.password = ChannelSecrets.hidden }
        return copy
    }

    /// The settings with a password given back hidden replaced by the saved one.
    public func keepingSecrets(of current: MailboxSettings) -> MailboxSettings {
        var copy = self
        if copy.password == ChannelSecrets.hidden { copy.password = current.password }
        return copy
    }
}

extension WebhookSettings {
    /// The settings with every source's secret hidden.
    public func masked() -> WebhookSettings {
        var copy = self
        for index in copy.sources.indices { copy.sources[index].secret = ChannelSecrets.hidden }
        return copy
    }

    /// The settings with each secret given back hidden or empty replaced by the saved one of the source with that
    /// name (`previousName`, when a source was renamed).
    public func keepingSecrets(of current: WebhookSettings, renamed previousName: [String: String] = [:])
        -> WebhookSettings
    {
        var copy = self
        for index in copy.sources.indices where ChannelSecrets.keeps(copy.sources[index].secret) {
            let name = previousName[copy.sources[index].name] ?? copy.sources[index].name
            copy.sources[index].secret = current.sources.first { $0.name == name }?.secret ?? ""
        }
        return copy
    }

    /// The settings with `source` in place of the one named `replacing` (or added at the end when nil or absent),
    /// its secret kept when given empty.
    public func putting(_ source: Source, replacing name: String?) -> WebhookSettings {
        var copy = self
        if let name, let index = copy.sources.firstIndex(where: { $0.name == name }) {
            copy.sources[index] = source
        } else {
            copy.sources.append(source)
        }
        return copy.keepingSecrets(of: self, renamed: name.map { [source.name: $0] } ?? [:])
    }

    public func removing(_ name: String) -> WebhookSettings {
        var copy = self
        copy.sources.removeAll { $0.name == name }
        return copy
    }
}

extension WeChatSettings {
    /// The settings with every token and AppSecret hidden.
    public func masked() -> WeChatSettings {
        var copy = self
        for index in copy.accounts.indices {
            copy.accounts[index].token = ChannelSecrets.hidden
            if copy.accounts[index].appSecret?.isEmpty == false {
                copy.accounts[index].appSecret = ChannelSecrets.hidden
            }
        }
        return copy
    }

    /// The settings with each token or AppSecret given back hidden or empty replaced by the saved one of the account
    /// with that name (`previousName`, when an account was renamed).
    public func keepingSecrets(of current: WeChatSettings, renamed previousName: [String: String] = [:])
        -> WeChatSettings
    {
        var copy = self
        for index in copy.accounts.indices {
            let name = previousName[copy.accounts[index].name] ?? copy.accounts[index].name
            let saved = current.accounts.first { $0.name == name }
            if ChannelSecrets.keeps(copy.accounts[index].token) { copy.accounts[index].token = saved?.token ?? "" }
            // An AppSecret given back hidden is kept; cleared on purpose (with the AppID) it is dropped.
            if copy.accounts[index].appSecret == ChannelSecrets.hidden
                || (copy.accounts[index].appSecret ?? "").isEmpty && copy.accounts[index].appID?.isEmpty == false
            {
                copy.accounts[index].appSecret = saved?.appSecret
            }
        }
        return copy
    }

    /// The settings with `account` in place of the one named `replacing` (or added at the end when nil or absent),
    /// its token and AppSecret kept when given empty.
    public func putting(_ account: Account, replacing name: String?) -> WeChatSettings {
        var copy = self
        if let name, let index = copy.accounts.firstIndex(where: { $0.name == name }) {
            copy.accounts[index] = account
        } else {
            copy.accounts.append(account)
        }
        return copy.keepingSecrets(of: self, renamed: name.map { [account.name: $0] } ?? [:])
    }

    public func removing(_ name: String) -> WeChatSettings {
        var copy = self
        copy.accounts.removeAll { $0.name == name }
        return copy
    }
}
