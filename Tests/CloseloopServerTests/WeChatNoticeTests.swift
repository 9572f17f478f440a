@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A WeChat follower told on WeChat (issue 13): the notices of their complaint go back through the account they
/// wrote to, as template messages (or customer-service messages without a template), against a stand-in for WeChat's
/// API on loopback that answers as the published API does: access tokens from `stable_token`, refusals as `errcode`.
@Suite("WeChat notices")
struct WeChatNoticeTests {
    static let appID = "wx5823bf96d3bd56c7"
    static let appSecret = "b1c7e3a9f0d24c6e8a1b3c5d7e9f0a2b"

    /// WeChat's API as the tests need it: what was sent with which token, and the refusals to give.
    actor WeChatAPIStandIn {
        struct Call: Sendable {
            var path: String
            var token: String?
            /// The request's JSON, as sent.
            var body: Data
        }
        var calls: [Call] = []
        /// The token `stable_token` gives; a forced refresh gives a new one.
        var current = "TOKEN-1"
        /// Tokens the send calls refuse as lapsed (42001).
        var lapsed: Set<String> = []
        /// The `errcode` the next send answers with.
        var refusal: Int?

        func lapse(_ token: String) { lapsed.insert(token) }
        func refuseNext(with code: Int) { refusal = code }

        /// The JSON answer to one call.
        func handle(path: String, token: String?, body: Data) throws -> Data {
            calls.append(Call(path: path, token: token, body: body))
            let request = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            return try JSONSerialization.data(withJSONObject: answer(path: path, token: token, request: request))
        }

        private func answer(path: String, token: String?, request: [String: Any]) -> [String: Any] {
            if path == "/cgi-bin/stable_token" {
                guard request["appid"] as? String == WeChatNoticeTests.appID,
                    request["secret"] as? String == WeChatNoticeTests.appSecret
                else { return ["errcode": 40125, "errmsg": "invalid appsecret"] }
                if request["force_refresh"] as? Bool == true { current = "TOKEN-\(calls.count)" }
                return ["access_token": current, "expires_in": 7200]
            }
            if let token, lapsed.contains(token) { return ["errcode": 42001, "errmsg": "access_token expired"] }
            guard token == current else { return ["errcode": 40001, "errmsg": "invalid credential"] }
            if let code = refusal {
                refusal = nil
                return ["errcode": code, "errmsg": "refused"]
            }
            return ["errcode": 0, "errmsg": "ok", "msgid": 200_228_332]
        }

        func sends() -> [Call] { calls.filter { $0.path.contains("/message/") } }
        func tokenCalls() -> [Call] { calls.filter { $0.path == "/cgi-bin/stable_token" } }
    }

    /// A call's JSON body as an object.
    static func object(_ call: WeChatAPIStandIn.Call?) throws -> [String: Any] {
        let call = try #require(call)
        return try #require(try JSONSerialization.jsonObject(with: call.body) as? [String: Any])
    }

    /// Runs `body` with the stand-in listening on a free loopback port.
    func withWeChat(_ body: @Sendable (String, WeChatAPIStandIn) async throws -> Void) async throws {
        let api = WeChatAPIStandIn()
        let router = Router()
        router.post("/cgi-bin/**") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let token = URLComponents(string: request.uri.description)?.queryItems?
                .first { $0.name == "access_token" }?.value
            let data = try await api.handle(path: request.uri.path, token: token, body: Data(bytes.readableBytesView))
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        try await Application(router: router).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)", api)
        }
    }

    static func configure(_ server: TestServer, api: String, template: Bool = true) async throws {
        let account = WeChatSettings.Account(
            name: "shop", token: WeChatIntakeTests.token, appID: appID, appSecret: appSecret,
            templateID: template ? "Kc3xq2oU_tmpl-7Lrp0f3rQvZ" : nil,
            templateFields: template
                ? [
                    "character_string1": .number, "thing2": .summary, "thing3": .state, "thing4": .notice,
                    "time5": .time,
                ]
                : nil,
            apiURL: api)
        try await server.services.settings.save(
            WeChatSettings(accounts: [account]), by: .commandLine, section: "wechat", detail: "")
        var delivery = await server.services.settings.deliverySettings()
        delivery.portalURL = "https://kefu.example.cn"
        try await server.services.settings.save(delivery, by: .commandLine, section: "delivery", detail: "")
    }

    /// A follower writes in; returns their complaint.
    static func followerWrites(_ server: TestServer, _ text: String, id: String) async throws -> Complaint {
        let answer = try await WeChatIntakeTests.push(server, WeChatIntakeTests.text(text, id: id))
        #expect(answer.status == .ok)
        let inbound = try #require(try await server.services.store.inboundMessages(channel: "wechat").first)
        let number = try #require(inbound.complaintNumber)
        return try #require(try await server.services.complaints.record(number: number)).complaint
    }

    @Test(
        "The follower's acknowledgement goes back as a template message with the number, the state and the link",
        arguments: DatabaseKind.available)
    func templateMessage(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await withWeChat { base, api in
                try await Self.configure(server, api: base)
                let complaint = try await Self.followerWrites(
                    server, "空调安装师傅把墙打穿了一个大洞还不管修补，已经等了三天没人联系", id: "24467883511000001")
                #expect(complaint.intake.source == "wechat:shop")
                let queued = try await server.services.complaints.customerMessages(of: complaint.id)
                #expect(queued.map(\.channel) == ["wechat"])
                #expect(queued.first?.recipient == "shop/\(WeChatIntakeTests.openID)")

                let (sent, failed) = try await server.services.outbox.dispatcher().pass()
                #expect(sent == 1 && failed == 0)
                let sends = await api.sends()
                #expect(sends.count == 1 && sends.first?.path == "/cgi-bin/message/template/send")
                let send = try Self.object(sends.first)
                #expect(send["touser"] as? String == WeChatIntakeTests.openID)
                #expect(send["template_id"] as? String == "Kc3xq2oU_tmpl-7Lrp0f3rQvZ")
                let link =
                    "https://kefu.example.cn" + (try await server.services.links.path(for: complaint.id))
                #expect(send["url"] as? String == link)
                let data = try #require(send["data"] as? [String: [String: String]])
                #expect(data["character_string1"]?["value"] == complaint.number)
                // A `thing` holds 20 characters: the subject is cut with an ellipsis, or WeChat refuses the message.
                #expect(data["thing2"]?["value"] == "空调安装师傅把墙打穿了一个大洞还不管修…")
                #expect(data["thing3"]?["value"] == "我们已收到您的投诉，正在核实")
                #expect(data["thing4"]?["value"] == "投诉已受理")
                #expect(data["time5"]?["value"] == "2026-04-08 10:00")
                // Delivered is recorded on the complaint, as for mail.
                let history = try await server.services.complaints.history(of: complaint.id)
                #expect(
                    history.contains {
                        if case .customerUpdated(let update) = $0.change { return update.channel == "wechat" }
                        return false
                    })
                #expect(try await server.services.complaints.customerMessages(of: complaint.id).first?.status == .sent)
            }
        }
    }

    @Test("A lapsed token is replaced once and the message still goes; the token is kept between messages")
    func lapsedToken() async throws {
        try await withServer(.sqlite) { server in
            try await withWeChat { base, api in
                try await Self.configure(server, api: base)
                _ = try await Self.followerWrites(server, "快递三天没更新物流", id: "24467883511000002")
                let dispatcher = server.services.outbox.dispatcher()
                _ = try await dispatcher.pass()
                await api.lapse("TOKEN-1")
                _ = try await Self.followerWrites(server, "另一个订单也没到", id: "24467883511000003")
                // The second follower message is added to the open complaint; a second follower opens another.
                let other = WeChatIntakeTests.text("门店服务态度差", id: "24467883511000004", from: "oOtherFollower_9x")
                _ = try await WeChatIntakeTests.push(server, other)
                let (sent, failed) = try await dispatcher.pass()
                #expect(sent == 1 && failed == 0)
                let refreshes = try await api.tokenCalls().map { try Self.object($0)["force_refresh"] as? Bool }
                #expect(refreshes == [false, true])
                let tokens = await api.sends().map(\.token)
                #expect(tokens.count == 3 && tokens.first == "TOKEN-1" && tokens.last != "TOKEN-1")
            }
        }
    }

    @Test("Without a template the text goes as a customer-service message; a closed 48-hour window fails at once")
    func customerServiceMessage() async throws {
        try await withServer(.sqlite) { server in
            try await withWeChat { base, api in
                try await Self.configure(server, api: base, template: false)
                let complaint = try await Self.followerWrites(server, "会员积分被清零了", id: "24467883511000005")
                _ = try await server.services.outbox.dispatcher().pass()
                let sends = await api.sends()
                #expect(sends.first?.path == "/cgi-bin/message/custom/send")
                let send = try Self.object(sends.first)
                #expect(send["msgtype"] as? String == "text")
                #expect((send["text"] as? [String: String])?["content"]?.contains(complaint.number) == true)

                await api.refuseNext(with: 45015)
                let other = WeChatIntakeTests.text("积分也不见了", id: "24467883511000007", from: "oOtherFollower_9x")
                _ = try await WeChatIntakeTests.push(server, other)
                let (sent, failed) = try await server.services.outbox.dispatcher().pass()
                #expect(sent == 0 && failed == 1)
                let refused = try #require(
                    try await server.services.outbox.messages(status: .failed, limit: 10).first)
                #expect(refused.recipient == "shop/oOtherFollower_9x")
                // Permanent: no retry is scheduled, and the reason is said in words.
                #expect(refused.status == .failed)
                #expect(refused.lastError?.contains("48 hours") == true)
            }
        }
    }

    @Test("An account that only receives queues nothing for its followers; settings that cannot send are refused")
    func receivingOnly() async throws {
        try await withServer(.sqlite) { server in
            try await WeChatIntakeTests.configure(server)
            let complaint = try await Self.followerWrites(server, "退款一直不到账", id: "24467883511000006")
            #expect(try await server.services.complaints.customerMessages(of: complaint.id).isEmpty)
        }
        let halfSet = WeChatSettings(accounts: [
            .init(name: "shop", token: "abc123", appID: Self.appID, templateID: "T1", templateFields: [:])
        ])
        let problems = halfSet.problems()
        #expect(problems.contains { $0.contains("both the AppID and the AppSecret") })
        #expect(problems.contains { $0.contains("at least one field") })
        let badKey = WeChatSettings(accounts: [
            .init(
                name: "shop", token: "abc123", appID: Self.appID, appSecret: Self.appSecret, templateID: "T1",
                templateFields: ["Thing 2": .summary])
        ])
        #expect(badKey.problems().contains { $0.contains("such as thing2") })
    }
}
