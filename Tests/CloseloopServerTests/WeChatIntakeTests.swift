@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A WeChat official account's followers writing in (issue 13), with messages built to WeChat's published format
/// (plain-text mode): the server check, text, image and voice messages, WeChat's retries, the passive reply with the
/// number, a conversation kept on one complaint, and nothing done for what is not signed or not a message.
@Suite("WeChat official account")
struct WeChatIntakeTests {
    static let token = "kefuToken2026"
    static let openID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"

    static func configure(_ server: TestServer) async throws {
        try await server.services.settings.save(
            WeChatSettings(accounts: [.init(name: "shop", token: token)]), by: .commandLine, section: "wechat",
            detail: "")
    }

    /// The query WeChat signs each call with.
    static func signedQuery(token: String = token, at time: Int = 1_776_240_000, nonce: String = "1514711492")
        -> String
    {
        let signature = WeChatIntake.signature(token: token, timestamp: "\(time)", nonce: nonce)
        return "signature=\(signature)&timestamp=\(time)&nonce=\(nonce)"
    }

    static func push(_ server: TestServer, _ xml: String, query: String = signedQuery()) async throws -> TestResponse {
        try await server.client.execute(
            uri: "/wechat/shop?\(query)&openid=\(openID)", method: .post,
            headers: [.contentType: "text/xml"], body: ByteBuffer(string: xml))
    }

    static func text(_ content: String, id: String, from: String = openID) -> String {
        """
        <xml><ToUserName><![CDATA[gh_3f2a1b0c9d8e]]></ToUserName><FromUserName><![CDATA[\(from)]]></FromUserName>\
        <CreateTime>1776240000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[\(content)]]></Content>\
        <MsgId>\(id)</MsgId></xml>
        """
    }

    @Test("WeChat's server check is answered only with the right token")
    func verification() async throws {
        try await withServer(.sqlite) { server in
            try await Self.configure(server)
            let ok = try await server.client.execute(
                uri: "/wechat/shop?\(Self.signedQuery())&echostr=7349187534", method: .get)
            #expect(ok.status == .ok && String(buffer: ok.body) == "7349187534")
            let wrong = try await server.client.execute(
                uri: "/wechat/shop?\(Self.signedQuery(token: "otherToken"))&echostr=1", method: .get)
            #expect(wrong.status == .forbidden)
            let unknown = try await server.client.execute(
                uri: "/wechat/nobody?\(Self.signedQuery())&echostr=1", method: .get)
            #expect(unknown.status == .forbidden)
        }
    }

    @Test(
        "A follower's message opens a complaint; the number comes back as the passive reply, once",
        arguments: DatabaseKind.available)
    func firstMessage(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.configure(server)
            let message = Self.text("你们的外卖送错了，汤全洒了\n订单尾号 8812", id: "24467883511223344")
            let answer = try await Self.push(server, message)
            #expect(answer.status == .ok)
            let reply = String(buffer: answer.body)
            #expect(reply.contains("<ToUserName><![CDATA[\(Self.openID)]]></ToUserName>"))
            #expect(reply.contains("<FromUserName><![CDATA[gh_3f2a1b0c9d8e]]></FromUserName>"))
            let inbound = try #require(try await server.services.store.inboundMessages(channel: "wechat").first)
            let number = try #require(inbound.complaintNumber)
            #expect(reply.contains("单号 \(number)"))
            let complaint = try #require(try await server.services.complaints.record(number: number)).complaint
            #expect(complaint.intake.channel == .im && complaint.intake.customer.customerID == Self.openID)
            #expect(complaint.intake.subject == "你们的外卖送错了，汤全洒了")
            #expect(complaint.intake.description.contains("订单尾号 8812"))

            // WeChat got no answer in time and pushes the same message again: the same reply, nothing new.
            let again = try await Self.push(server, message)
            #expect(String(buffer: again.body).contains("单号 \(number)"))
            #expect(try await server.complaintCount() == 1)
        }
    }

    @Test("The follower's next messages, a picture and a voice message, are added to the open complaint")
    func conversation() async throws {
        try await withServer(.sqlite) { server in
            try await Self.configure(server)
            _ = try await Self.push(server, Self.text("热水器漏水", id: "1001"))
            let picture = """
                <xml><ToUserName><![CDATA[gh_3f2a1b0c9d8e]]></ToUserName><FromUserName><![CDATA[\(Self.openID)]]></FromUserName>\
                <CreateTime>1776240060</CreateTime><MsgType><![CDATA[image]]></MsgType>\
                <PicUrl><![CDATA[http://mmbiz.qpic.cn/mmbiz_jpg/abc/0]]></PicUrl><MediaId><![CDATA[media_1]]></MediaId>\
                <MsgId>1002</MsgId></xml>
                """
            let answer = try await Self.push(server, picture)
            #expect(String(buffer: answer.body).contains("已补充到您的投诉"))
            let voice = """
                <xml><ToUserName><![CDATA[gh_3f2a1b0c9d8e]]></ToUserName><FromUserName><![CDATA[\(Self.openID)]]></FromUserName>\
                <CreateTime>1776240090</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m2]]></MediaId>\
                <Format><![CDATA[amr]]></Format><Recognition><![CDATA[下午三点以后家里有人]]></Recognition><MsgId>1003</MsgId></xml>
                """
            _ = try await Self.push(server, voice)
            #expect(try await server.complaintCount() == 1)
            let number = try #require(
                try await server.services.store.inboundMessages(channel: "wechat").first?.complaintNumber)
            let record = try #require(try await server.services.complaints.record(number: number))
            let messages = try await server.services.complaints.history(of: record.complaint.id).compactMap { event in
                if case .messageReceived(let message) = event.change { return message }
                return nil
            }
            #expect(
                messages.map(\.text) == [
                    "[图片 / picture] http://mmbiz.qpic.cn/mmbiz_jpg/abc/0", "[语音 / voice] 下午三点以后家里有人",
                ])
            #expect(messages.allSatisfy { $0.channel == .im })
        }
    }

    @Test("Unsigned pushes, events and what is not a message open nothing; external entities are never read")
    func refused() async throws {
        try await withServer(.sqlite) { server in
            try await Self.configure(server)
            let unsigned = try await Self.push(
                server, Self.text("x", id: "1"), query: Self.signedQuery(token: "wrongToken"))
            #expect(unsigned.status == .forbidden)
            let subscribe = """
                <xml><ToUserName><![CDATA[gh_3f2a1b0c9d8e]]></ToUserName><FromUserName><![CDATA[\(Self.openID)]]></FromUserName>\
                <CreateTime>1776240000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>
                """
            #expect(String(buffer: try await Self.push(server, subscribe).body) == "success")
            #expect(String(buffer: try await Self.push(server, "not xml at all").body) == "success")
            let entity = """
                <?xml version="1.0"?><!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\
                <xml><ToUserName>gh</ToUserName><FromUserName>\(Self.openID)</FromUserName><CreateTime>1</CreateTime>\
                <MsgType>text</MsgType><Content>&secret;</Content><MsgId>77</MsgId></xml>
                """
            _ = try await Self.push(server, entity)
            let hostname =
                (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "never-matches"
            let statuses = try await server.services.store.inboundMessages(channel: "wechat").map(\.status)
            #expect(statuses.filter { $0 == .created }.count <= 1)
            for record in try await server.services.store.inboundMessages(channel: "wechat") {
                if let id = record.complaintID, let complaint = try await server.services.complaints.record(id: id) {
                    #expect(!complaint.complaint.intake.description.contains(hostname))
                }
            }
            #expect(statuses.contains(.ignored) && statuses.contains(.quarantined))
        }
    }
}
