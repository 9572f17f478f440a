import Foundation

/// The WeChat official accounts (微信公众号) whose followers' messages become complaints: each pushes to
/// `/wechat/<name>` and signs with the token set in its developer settings (plain-text mode). With the account's
/// AppID and AppSecret the customer's notices go back to the follower on WeChat. Stored in `settings` under `wechat`.
public struct WeChatSettings: Hashable, Codable, Sendable {
    public struct Account: Hashable, Codable, Sendable {
        /// The name in the URL.
        public var name: String
        /// The token of the account's server settings (服务器配置 › 令牌), 3–32 letters and digits.
        public var token: String
        public var enabled: Bool
        /// The developer ID and password (开发者ID AppID, 开发者密码 AppSecret) the API's access token is taken
        /// with; without them the account only receives, and its followers are told by the passive reply alone.
        public var appID: String?
        public var appSecret: String?
        /// The template (模板消息) notices go out with. Without one they go as customer-service messages
        /// (客服消息), which WeChat delivers only within 48 hours of the follower's last message.
        public var templateID: String?
        /// What fills each of the template's fields, by the field's key (`character_string1` → number).
        public var templateFields: [String: TemplateValue]?
        /// The API's address: WeChat's own unless the company sends through a proxy with a fixed address (the
        /// account's IP allow-list names the addresses allowed to take a token).
        public var apiURL: String?

        public init(
            name: String, token: String, enabled: Bool = true, appID: String? = nil, appSecret: String? = nil,
            templateID: String? = nil, templateFields: [String: TemplateValue]? = nil, apiURL: String? = nil
        ) {
            self.name = name
            self.token = token
            self.enabled = enabled
            self.appID = appID
            self.appSecret = appSecret
            self.templateID = templateID
            self.templateFields = templateFields
            self.apiURL = apiURL
        }

        /// Whether notices can be sent to the account's followers.
        public var sends: Bool { enabled && appID?.isEmpty == false && appSecret?.isEmpty == false }

        public var api: String {
            let url = apiURL?.trimmingCharacters(in: .whitespaces) ?? ""
            let base = url.isEmpty ? WeChatSettings.officialAPI : url
            return base.hasSuffix("/") ? String(base.dropLast()) : base
        }
    }

    /// A value a template field can show.
    public enum TemplateValue: String, Hashable, Codable, Sendable, CaseIterable {
        /// The complaint's number.
        case number
        /// The customer's own subject.
        case summary
        /// Where it stands, in the customer's words (处理中, 待您确认…).
        case state
        /// What the notice is (已受理, 处理方案待确认…).
        case notice
        /// The notice's text, as an email would carry it.
        case text
        /// When the notice was written, on the business calendar.
        case time
    }

    public var accounts: [Account]

    public init(accounts: [Account]) { self.accounts = accounts }

    public static let none = WeChatSettings(accounts: [])
    public static let officialAPI = "https://api.weixin.qq.com"

    public func account(named name: String) -> Account? { accounts.first { $0.name == name } }

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
            problems += sendingProblems(account)
        }
        return problems
    }

    private func sendingProblems(_ account: Account) -> [String] {
        var problems: [String] = []
        let appID = account.appID ?? ""
        let secret = account.appSecret ?? ""
        let plain: (String) -> Bool = { $0.count <= 64 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        if !plain(appID) { problems.append("the AppID of \(account.name) must be letters and digits") }
        if !plain(secret) { problems.append("the AppSecret of \(account.name) must be letters and digits") }
        if appID.isEmpty != secret.isEmpty {
            problems.append("\(account.name) needs both the AppID and the AppSecret to send, or neither")
        }
        let template = account.templateID ?? ""
        if !template.isEmpty {
            if appID.isEmpty { problems.append("the template of \(account.name) needs the AppID and AppSecret") }
            if template.count > 64 || !template.allSatisfy({ $0.isASCII && !$0.isWhitespace }) {
                problems.append("the template ID of \(account.name) must be 1–64 characters without spaces")
            }
            let fields = account.templateFields ?? [:]
            if fields.isEmpty { problems.append("the template of \(account.name) needs at least one field") }
            for key in fields.keys.sorted() where !Self.validFieldKey(key) {
                problems.append("the template field \(key) of \(account.name) must be a key such as thing2")
            }
        }
        if let url = account.apiURL, !url.isEmpty,
            !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.contains(where: \.isWhitespace)
        {
            problems.append("the API address of \(account.name) must be an http(s) URL")
        }
        return problems
    }

    /// A template field's key as WeChat writes it: letters and underscores, then digits (`thing2`, `time3`).
    static func validFieldKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 32
            && key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            && key.unicodeScalars.first.map { ("a"..."z").contains($0) } == true
    }
}
