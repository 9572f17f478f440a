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

/// Customers' messages posted by the company's other systems (issue 13): signed with the source's secret over the
/// timestamp and the exact body, refused before anything is read when the signature or the time is wrong,
/// idempotent on the source's own message id, a reply from the complaint's own customer added to it.
@Suite("Webhook intake")
struct WebhookIntakeTests {
    static let secret = "shop-secret-0123456789"

    struct Receipt: Decodable, Equatable {
        var status: String
        var complaintNumber: String
        var duplicate: Bool
    }

    static func configure(_ server: TestServer) async throws {
        try await server.services.settings.save(
            WebhookSettings(sources: [.init(name: "shop-app", secret: secret, channel: .im)]), by: .commandLine,
            section: "webhooks", detail: "")
    }

    /// Posts `fields` as `source`, signed with `secret` at `at` (the server's now by default).
    static func post(
        _ server: TestServer, _ fields: [String: any Sendable], source: String = "shop-app", secret: String = secret,
        at: Date? = nil, signature: String? = nil
    ) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: fields)
        let timestamp = String(Int((at ?? server.time.now()).timeIntervalSince1970))
        var headers: HTTPFields = [:]
        headers[HTTPField.Name("X-Closeloop-Timestamp")!] = timestamp
        headers[HTTPField.Name("X-Closeloop-Signature")!] =
            signature ?? "sha256=" + WebhookIntake.signature(timestamp: timestamp, body: body, secret: secret)
        return try await server.send(
            .post, "/intake/webhook/\(source)", body: ByteBuffer(bytes: body), contentType: "application/json",
            headers: headers)
    }

    static let message: [String: any Sendable] = [
        "messageId": "chat-1001",
        "customer": ["name": "吴先生", "phone": "+86 139 1234 5678"] as [String: any Sendable],
        "text": "订单 SO-2026-04-0777 的电饭煲内胆涂层脱落，要求换货。",
        "reference": "SO-2026-04-0777",
    ]

    @Test(
        "A signed message opens a complaint on the source's channel; the same id again changes nothing",
        arguments: DatabaseKind.available)
    func signedMessage(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await Self.configure(server)
            let first = try await Self.post(server, Self.message).expect(.created, Receipt.self)
            #expect(first.status == "created" && !first.duplicate)
            let record = try #require(try await server.services.complaints.record(number: first.complaintNumber))
            #expect(record.complaint.intake.channel == .im)
            #expect(record.complaint.intake.subject == "订单 SO-2026-04-0777 的电饭煲内胆涂层脱落，要求换货。")
            #expect(record.complaint.intake.reference == "SO-2026-04-0777")
            let received = try await server.services.store.inboundMessages(channel: "webhook")
            #expect(received.map(\.externalID) == ["shop-app:chat-1001"] && received.first?.status == .created)

            server.time.advance(by: 60)
            let again = try await Self.post(server, Self.message).expect(.ok, Receipt.self)
            #expect(again == .init(status: "created", complaintNumber: first.complaintNumber, duplicate: true))
            #expect(try await server.complaintCount() == 1)
        }
    }

    @Test("A wrong signature, an unknown source and an old timestamp are refused before the body is looked at")
    func refused() async throws {
        try await withServer(.sqlite) { server in
            try await Self.configure(server)
            let forged = try await Self.post(server, Self.message, secret: "another-secret-0123456789")
                .problem(.unauthorized)
            #expect(forged.code == "webhook.bad_signature")
            let unknown = try await Self.post(server, Self.message, source: "nobody").problem(.unauthorized)
            #expect(unknown.code == "webhook.bad_signature")
            let unsigned = try await Self.post(server, ["junk": true], signature: "").problem(.unauthorized)
            #expect(unsigned.code == "webhook.bad_signature", "an unsigned caller learns nothing about the body")
            let old = try await Self.post(server, Self.message, at: server.time.now().addingTimeInterval(-600))
                .problem(.unauthorized)
            #expect(old.code == "webhook.stale")
            #expect(try await server.services.store.inboundMessages(channel: "webhook").isEmpty)
            #expect(try await server.complaintCount() == 0)

            let invalid = try await Self.post(server, ["messageId": "x", "customer": ["name": "吴"], "text": "hi"])
            #expect(invalid.status == .unprocessableContent, "\(invalid.text)")
        }
    }

    @Test("A reply naming the complaint is added to it when it comes from the same customer")
    func reply() async throws {
        try await withServer(.sqlite) { server in
            try await Self.configure(server)
            let first = try await Self.post(server, Self.message).expect(.created, Receipt.self)
            var reply = Self.message
            reply["messageId"] = "chat-1002"
            reply["text"] = "补充：购买日期 4 月 2 日"
            reply["replyTo"] = first.complaintNumber
            reply["customer"] = ["name": "吴先生", "phone": "13912345678"] as [String: any Sendable]
            let appended = try await Self.post(server, reply).expect(.created, Receipt.self)
            #expect(appended == .init(status: "appended", complaintNumber: first.complaintNumber, duplicate: false))
            let record = try #require(try await server.services.complaints.record(number: first.complaintNumber))
            let history = try await server.services.complaints.history(of: record.complaint.id)
            guard case .messageReceived(let message) = history.last?.change else {
                Issue.record("last event: \(String(describing: history.last?.change))")
                return
            }
            #expect(message.channel == .im && message.text == "补充：购买日期 4 月 2 日")

            var stranger = reply
            stranger["messageId"] = "chat-1003"
            stranger["customer"] = ["name": "冒充者", "phone": "13700000000"] as [String: any Sendable]
            let other = try await Self.post(server, stranger).expect(.created, Receipt.self)
            #expect(other.status == "created" && other.complaintNumber != first.complaintNumber)
        }
    }

    @Test("A source's default department and category are where the supervisor's classification starts")
    func routing() async throws {
        try await withServer(.sqlite) { server in
            try await server.services.settings.save(
                WebhookSettings(sources: [
                    .init(
                        name: "shop-app", secret: Self.secret, channel: .im, department: Staff.afterSales,
                        category: "after_sales")
                ]), by: .commandLine, section: "webhooks", detail: "")
            let receipt = try await Self.post(server, Self.message).expect(.created, Receipt.self)
            let record = try #require(try await server.services.complaints.record(number: receipt.complaintNumber))
            #expect(record.complaint.intake.defaultDepartment == Staff.afterSales)
            #expect(record.complaint.intake.defaultCategory == "after_sales")
            var complaint = try await server.complaint(record.complaint.id.rawValue, as: Staff.agent)
            complaint = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            complaint = try await server.perform("decide-validity", on: complaint, as: Staff.agent, ["valid": true])
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let page = try await supervisor.get("/complaints/\(receipt.complaintNumber)")
            #expect(page.selected("department") == Staff.afterSales.rawValue)
            #expect(page.selected("category") == "after_sales")
        }
    }
}
