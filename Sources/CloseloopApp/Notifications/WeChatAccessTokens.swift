import AsyncHTTPClient
import Foundation

/// The access tokens of the WeChat accounts, kept until five minutes before they lapse. They are taken from
/// `stable_token`, which gives every instance the same token until it lapses (the older `token` call would make
/// each instance's token void the others'); `refresh` forces a new one when WeChat has refused the kept one.
actor WeChatAccessTokens {
    struct Credentials: Hashable, Sendable {
        var api: String
        var appID: String
        var appSecret: String
    }

    private struct Kept {
        var token: String
        var until: Date
    }

    private let client: HTTPClient
    private let now: @Sendable () -> Date
    private var kept: [Credentials: Kept] = [:]

    init(client: HTTPClient, now: @escaping @Sendable () -> Date) {
        self.client = client
        self.now = now
    }

    func token(for credentials: Credentials, refresh: Bool) async throws -> String {
        if !refresh, let token = kept[credentials], token.until > now() { return token.token }
        let answer = try await WeChatAPI.post(
            credentials.api + "/cgi-bin/stable_token",
            [
                "grant_type": "client_credential", "appid": credentials.appID, "secret": credentials.appSecret,
                "force_refresh": refresh,
            ], client: client)
        guard let token = answer["access_token"] as? String, !token.isEmpty else {
            let code = answer["errcode"] as? Int ?? -1
            throw WeChatAPI.error(code: code, message: answer["errmsg"] as? String, account: credentials.appID)
        }
        let lifetime = Double(answer["expires_in"] as? Int ?? 7200)
        kept[credentials] = Kept(token: token, until: now().addingTimeInterval(max(lifetime - 300, 60)))
        return token
    }
}
