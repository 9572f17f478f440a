import AsyncHTTPClient
import CloseloopCore
import CloseloopStore
import Foundation
import NIOCore
import NIOHTTP1

/// What a WeChat notice shows beyond its text: the values a template's fields are filled from, and the link the
/// follower opens from it.
struct WeChatNotice: Sendable {
    var values: [WeChatSettings.TemplateValue: String]
    var link: String?
}

/// A customer's notice to a WeChat follower, through the account they wrote to (`<account>/<openid>` is the
/// outbox recipient): a template message (模板消息) when the account has a template, else a customer-service text
/// message (客服消息), which WeChat takes only within 48 hours of the follower's last message.
struct WeChatChannel: DeliveryChannel {
    let settings: WeChatSettings
    let client: HTTPClient
    let tokens: WeChatAccessTokens
    /// The values and link of the message's complaint.
    let notice: @Sendable (OutboxMessage) async throws -> WeChatNotice

    /// The account name and the follower's openid of a recipient.
    static func recipient(account: String, openID: String) -> String { "\(account)/\(openID)" }

    func deliver(_ message: OutboxMessage, secret: String?, at now: Date) async throws {
        let parts = message.recipient.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let account = settings.account(named: parts[0]) else {
            throw DeliveryError(
                description: "no WeChat account \(message.recipient.split(separator: "/").first ?? "") is set up",
                permanent: true)
        }
        guard account.sends, let appID = account.appID, let appSecret = account.appSecret else {
            throw DeliveryError(
                description: "the WeChat account \(account.name) has no AppID and AppSecret to send with",
                permanent: true)
        }
        let payload = try await body(for: message, to: parts[1], account: account)
        let path =
            account.templateID?.isEmpty == false ? "/cgi-bin/message/template/send" : "/cgi-bin/message/custom/send"
        let credentials = WeChatAccessTokens.Credentials(api: account.api, appID: appID, appSecret: appSecret)
        var token = try await tokens.token(for: credentials, refresh: false)
        for attempt in 1...2 {
            let answer = try await WeChatAPI.post(
                account.api + path + "?access_token=" + FormEncoding.encode(token), payload, client: client)
            let code = answer["errcode"] as? Int ?? 0
            if code == 0 { return }
            // The token was replaced or has lapsed: take a fresh one and try once more.
            if WeChatAPI.staleTokenCodes.contains(code), attempt == 1 {
                token = try await tokens.token(for: credentials, refresh: true)
                continue
            }
            throw WeChatAPI.error(code: code, message: answer["errmsg"] as? String, account: account.name)
        }
    }

    private func body(for message: OutboxMessage, to openID: String, account: WeChatSettings.Account) async throws
        -> [String: Any]
    {
        guard let template = account.templateID, !template.isEmpty else {
            return ["touser": openID, "msgtype": "text", "text": ["content": String(message.body.prefix(600))]]
        }
        let notice = try await notice(message)
        var data: [String: Any] = [:]
        for (key, value) in account.templateFields ?? [:] {
            data[key] = ["value": Self.fit(notice.values[value] ?? "", field: key)]
        }
        var body: [String: Any] = [
            "touser": openID, "template_id": template, "data": data,
            // WeChat drops a second message with the same id: a resend after a crash is not shown twice.
            "client_msg_id": String(message.id.prefix(64)),
        ]
        if let link = notice.link { body["url"] = link }
        return body
    }

    /// A value cut to what WeChat's field type takes (a `thing` is at most 20 characters, a `character_string` 32,
    /// a `phrase` 5), with an ellipsis when cut; WeChat refuses the whole message when one value is too long.
    static func fit(_ value: String, field key: String) -> String {
        let type = String(key.prefix { !$0.isNumber })
        let limit: Int
        switch type {
        case "thing": limit = 20
        case "character_string", "number", "letter", "car_number": limit = 32
        case "phrase": limit = 5
        case "name": limit = 10
        case "phone_number": limit = 20
        default: limit = 200
        }
        let clean = value.replacingOccurrences(of: "\n", with: " ")
        guard clean.count > limit else { return clean }
        if type == "character_string" || type == "number" { return String(clean.prefix(limit)) }
        return String(clean.prefix(limit - 1)) + "…"
    }
}

/// The official API's calls and its error codes, in words.
enum WeChatAPI {
    /// The access token was replaced by a newer one, lapsed or is not one.
    static let staleTokenCodes: Set<Int> = [40001, 40014, 42001]

    /// Codes no retry can change: the follower left, the id or template is wrong, the 48-hour window closed, the
    /// account's settings refuse this server.
    static let permanentCodes: [Int: String] = [
        40003: "the follower's openid is not one of this account's",
        40013: "the AppID is not valid",
        40037: "the template ID is not one of this account's",
        40125: "the AppSecret is not valid",
        40164: "this server's IP address is not on the account's IP allow-list",
        43004: "the follower has unfollowed the account",
        43101: "the follower declined messages from this account",
        45015: "the follower has not written in the last 48 hours; set a template to reach them",
        47003: "a template field's value was refused (wrong field key or value)",
    ]

    static func error(code: Int, message: String?, account: String) -> DeliveryError {
        let known = permanentCodes[code]
        return DeliveryError(
            description: "WeChat (\(account)) refused with \(code): \(known ?? message ?? "unknown error")",
            permanent: known != nil)
    }

    /// POSTs JSON and returns the JSON answer; throws on a transport failure or a non-2xx status.
    static func post(_ url: String, _ payload: [String: Any], client: HTTPClient) async throws -> [String: Any] {
        // WeChat reads the text as UTF-8 and wants it unescaped.
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])
        let answer = try await HTTPChannel.post(
            body, to: url, headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]), client: client)
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.readableBytesView)) as? [String: Any]
        else {
            throw DeliveryError(description: "WeChat API answered without JSON: \(String(buffer: answer).prefix(300))")
        }
        return object
    }
}
