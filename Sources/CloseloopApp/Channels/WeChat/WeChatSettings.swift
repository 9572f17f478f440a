import Foundation

/// The WeChat official accounts (微信公众号) whose followers' messages become complaints: each pushes to
/// `/wechat/<name>` and signs with the token set in its developer settings (plain-text mode). Stored in `settings`
/// under `wechat`.
public struct WeChatSettings: Hashable, Codable, Sendable {
    public struct Account: Hashable, Codable, Sendable {
        /// The name in the URL.
        public var name: String
        /// The token of the account's server settings (服务器配置 › 令牌), 3–32 letters and digits.
        public var token: String
        public var enabled: Bool

        public init(name: String, token: String, enabled: Bool = true) {
            self.name = name
            self.token = token
            self.enabled = enabled
        }
    }

    public var accounts: [Account]

    public init(accounts: [Account]) { self.accounts = accounts }

    public static let none = WeChatSettings(accounts: [])

    public func problems() -> [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        for account in accounts {
            let valid =
                !account.name.isEmpty && account.name.count <= 64
                && account.name.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                }
            if !valid { problems.append("the account name \(account.name) must be 1–64 of a–z, 0–9, - and _") }
            if !seen.insert(account.name).inserted { problems.append("the account name \(account.name) is used twice") }
            let token =
                (3...32).contains(account.token.count)
                && account.token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            if !token {
                problems.append("the token of \(account.name) must be 3–32 letters and digits, as WeChat requires")
            }
        }
        return problems
    }
}
