@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import Testing

/// Mail becoming complaints (issue 13): stored before it is read, a new message a complaint answered with its number,
/// a reply added to its complaint, machines' mail never answered, nothing doubled, what cannot be read quarantined.
@Suite("Complaints by mail")
struct MailIntakeTests {
    static func complaint(_ server: TestServer, _ message: InboundMessage) async throws -> Complaint {
        let id = try #require(message.complaintID, "\(message.status) \(message.reason ?? "")")
        return try #require(try await server.services.complaints.record(id: id)).complaint
    }

    static func acknowledgements(_ server: TestServer) async throws -> [OutboxMessage] {
        try await server.services.store.outboxMessages().filter { $0.topic == "customer.acknowledgement" }
    }

    @Test(
        "A Foxmail message in GBK labelled gb2312 opens a complaint, answered with its number and link",
        arguments: DatabaseKind.available)
    func newComplaint(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var delivery = await server.services.settings.deliverySettings()
            delivery.portalURL = "https://kefu.example.cn/"
            try await server.services.settings.save(delivery, by: .commandLine, section: "delivery", detail: "")
            let message = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            #expect(message.status == .created)
            let complaint = try await Self.complaint(server, message)
            #expect(complaint.intake.channel == .email)
            #expect(complaint.intake.customer == CustomerDetails(name: "张伟", email: "zhang.wei@example.cn"))
            #expect(complaint.intake.subject == "冰箱不制冷，要求维修")
            #expect(complaint.intake.description.contains("朱镕基路店买的冰箱不制冷"))
            #expect(complaint.intake.attachments.map(\.fileName) == ["冰箱照片.jpg"])
            #expect(complaint.intake.attachments.first?.contentType == "image/jpeg")
            let history = try await server.services.complaints.history(of: complaint.id)
            #expect(history.first?.actor.kind == .system)

            let acknowledgement = try #require(try await Self.acknowledgements(server).first)
            #expect(acknowledgement.recipient == "zhang.wei@example.cn")
            #expect(acknowledgement.subject == "[#\(complaint.number)] 冰箱不制冷，要求维修")
            #expect(acknowledgement.body.contains("单号 \(complaint.number)"))
            let path = try await server.services.links.path(for: complaint.id)
            #expect(acknowledgement.body.contains("https://kefu.example.cn" + path))
            #expect(try await server.services.links.verify(String(path.split(separator: "/").last!), for: complaint.id))
        }
    }

    @Test("The same Message-ID twice makes one complaint and one acknowledgement")
    func sameMessageTwice() async throws {
        try await withServer(.sqlite) { server in
            let first = try await server.services.mail.receive(MailCorpus.foxmail(), source: "imap")
            let again = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            #expect(again.id == first.id && again.complaintID == first.complaintID)
            #expect(try await server.complaintCount() == 1)
            #expect(try await Self.acknowledgements(server).count == 1)
        }
    }

    @Test("A reply to our acknowledgement is the customer's message on that complaint, without the quoted original")
    func replyByHeader() async throws {
        try await withServer(.sqlite) { server in
            let first = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            let acknowledgement = try #require(try await Self.acknowledgements(server).first)
            let reply = try await server.services.mail.receive(
                MailCorpus.qqReply(
                    to: "\(acknowledgement.id)@closeloop", subject: "回复：" + acknowledgement.subject,
                    answer: "师傅周六上午在家可以上门。", messageID: "qq-2@qq.com", from: "someone.else@qq.com"),
                source: "pipe")
            #expect(reply.status == .appended)
            #expect(reply.complaintID == first.complaintID)
            let history = try await server.services.complaints.history(of: try #require(first.complaintID))
            guard case .messageReceived(let received) = history.last?.change else {
                Issue.record("last event is \(String(describing: history.last?.change))")
                return
            }
            #expect(received.text == "师傅周六上午在家可以上门。")
            #expect(received.channel == .email && received.externalID == "<qq-2@qq.com>")
            #expect(history.last?.actor.kind == .customer)
            #expect(try await server.complaintCount() == 1)
            #expect(try await Self.acknowledgements(server).count == 1, "a reply is not acknowledged as new")
        }
    }

    @Test("The number in the subject finds the complaint only for the address that filed it")
    func replyBySubject() async throws {
        try await withServer(.sqlite) { server in
            let first = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            let complaint = try await Self.complaint(server, first)
            let fromCustomer = try await server.services.mail.receive(
                MailCorpus.qqReply(
                    to: nil, subject: "Re: [#\(complaint.number)] 冰箱", answer: "补充：型号 BCD-520",
                    messageID: "qq-3@qq.com", from: "Zhang.Wei@Example.cn"),
                source: "pipe")
            #expect(fromCustomer.status == .appended && fromCustomer.complaintID == complaint.id)
            let fromStranger = try await server.services.mail.receive(
                MailCorpus.qqReply(
                    to: nil, subject: "Re: [#\(complaint.number)] 冰箱", answer: "我也遇到了同样的问题",
                    messageID: "qq-4@qq.com", from: "li.na@example.cn"),
                source: "pipe")
            #expect(fromStranger.status == .created && fromStranger.complaintID != complaint.id)
        }
    }

    @Test("A reply while the complaint waits for information is that information, and the loop goes on")
    func replyWithInformation() async throws {
        try await withServer(.sqlite) { server in
            let first = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            let id = try #require(first.complaintID)
            let agent = try await server.member(Staff.agent)
            _ = try await server.services.complaints.perform(
                .checkCompleteness(complete: false, missing: ["reference"], note: "请提供发票"), on: id,
                expectedVersion: 1, by: .staff(agent))
            let acknowledgement = try #require(try await Self.acknowledgements(server).first)
            let reply = try await server.services.mail.receive(
                MailCorpus.qqReply(
                    to: "\(acknowledgement.id)@closeloop", subject: "发票", answer: "发票号 0442-118",
                    messageID: "qq-5@qq.com", from: "zhang.wei@example.cn"),
                source: "pipe")
            #expect(reply.status == .appended)
            let complaint = try await Self.complaint(server, reply)
            #expect(complaint.state == .received)
            let history = try await server.services.complaints.history(of: id)
            guard case .informationProvided(let note) = history.last?.change else {
                Issue.record("last event is \(String(describing: history.last?.change))")
                return
            }
            #expect(note.text == "发票号 0442-118")
        }
    }

    @Test("Auto-replies and bounces are kept, never a complaint, never answered")
    func machinesMail() async throws {
        try await withServer(.sqlite) { server in
            let auto = try await server.services.mail.receive(MailCorpus.autoReply(messageID: "ooo@x"), source: "pipe")
            let bounce = try await server.services.mail.receive(MailCorpus.bounce(messageID: "dsn@x"), source: "pipe")
            #expect(auto.status == .ignored && bounce.status == .ignored)
            #expect(auto.reason != nil && bounce.reason != nil)
            #expect(try await server.complaintCount() == 0)
            #expect(try await server.services.store.outboxMessages().isEmpty)
            let ownAddress = await server.services.settings.deliverySettings().emailFrom
            let loop = try await server.services.mail.receive(
                MailCorpus.outlook(subject: "您的投诉已受理", text: "x", messageID: "own@x", from: ownAddress),
                source: "pipe")
            #expect(loop.status == .ignored, "our own mail coming back is no complaint")
        }
    }

    @Test("A message that cannot be read waits in the quarantine with its reason, and is kept as received")
    func quarantine() async throws {
        try await withServer(.sqlite) { server in
            let raw = Data("Subject: no sender\r\nMessage-ID: <q1@x>\r\n\r\nhello".utf8)
            let message = try await server.services.mail.receive(raw, source: "pipe")
            #expect(message.status == .quarantined)
            #expect(message.reason?.contains("sender") == true)
            let admin = try #require(try await server.services.store.user(username: Staff.admin))
            let listed = try await server.services.mail.messages(status: .quarantined, limit: 10, by: .staff(admin))
            #expect(listed.map(\.id) == [message.id])
            #expect(try await server.services.mail.raw(message.id, by: .staff(admin))?.1 == raw)
            let retried = try await server.services.mail.retry(message.id, by: .staff(admin))
            #expect(retried?.status == .quarantined && retried?.attempts == 2)
            let agent = try #require(try await server.services.store.user(username: Staff.agent))
            await #expect(throws: AccessDenied.self) {
                try await server.services.mail.messages(status: nil, limit: 10, by: .staff(agent))
            }
        }
    }

    @Test("Empty and oversized messages are refused; an oversized attachment stays in the raw message, named")
    func limits() async throws {
        try await withServer(.sqlite) { server in
            var limits = await server.services.settings.mailboxSettings()
            limits.maxMessageBytes = 1 << 16
            limits.maxAttachmentBytes = 100
            try await server.services.settings.save(limits, by: .commandLine, section: "mailbox", detail: "")
            await #expect(throws: MailRefusal.empty) {
                try await server.services.mail.receive(Data(" \r\n".utf8), source: "pipe")
            }
            await #expect(throws: MailRefusal.tooLarge(limit: 1 << 16)) {
                try await server.services.mail.receive(Data(repeating: 0x41, count: (1 << 16) + 1), source: "pipe")
            }
            let message = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            let complaint = try await Self.complaint(server, message)
            #expect(complaint.intake.attachments.isEmpty)
            #expect(complaint.intake.description.contains("冰箱照片.jpg"))
        }
    }

    @Test("A message whose handling was cut short is taken up again, once")
    func stalled() async throws {
        try await withServer(.sqlite) { server in
            let first = try await server.services.mail.receive(MailCorpus.foxmail(), source: "pipe")
            // As if the process had stopped after storing the message: the same bytes, recorded but not handled.
            let raw = MailCorpus.foxmail(messageID: "fm-2@foxmail.com")
            let digest = try server.services.storage.store(raw)
            _ = try await server.services.store.recordInbound(
                InboundMessage(
                    id: "stalled-1", channel: "email", source: "imap", externalID: "<fm-2@foxmail.com>",
                    receivedAt: server.time.instant(), rawSHA256: digest, rawSize: raw.count))
            // A webhook call cut short is the caller's to send again: mail's resumption leaves it alone.
            _ = try await server.services.store.recordInbound(
                InboundMessage(
                    id: "stalled-webhook", channel: "webhook", source: "shop-app", externalID: "shop-app:9",
                    receivedAt: server.time.instant(), rawSHA256: digest, rawSize: raw.count))
            server.time.advance(by: 600)
            #expect(try await server.services.mail.resumeStalled() == 1)
            #expect(try await server.services.mail.resumeStalled() == 0)
            let resumed = try #require(try await server.services.store.inboundMessage(id: "stalled-1"))
            #expect(resumed.status == .created && resumed.complaintID != first.complaintID)
            #expect(try await server.complaintCount() == 2)
        }
    }
}
