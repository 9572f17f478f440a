@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// What the customer is told on their own channel (issue 13): the number when received, what is missing, the settled
/// proposal, the result to confirm; written with the step that calls for it, never naming staff, and listed on the
/// complaint page with whether it arrived.
@Suite("Telling the customer")
struct CustomerNoticeTests {
    static func sent(_ server: TestServer, _ id: String) async throws -> [OutboxMessage] {
        try await server.services.complaints.customerMessages(of: ComplaintID(id))
    }

    @Test(
        "Along the loop the customer is told the number, the proposal and the result, by mail, with their link",
        arguments: DatabaseKind.available)
    func alongTheLoop(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            var delivery = await server.services.settings.deliverySettings()
            delivery.portalURL = "https://kefu.example.cn"
            try await server.services.settings.save(delivery, by: .commandLine, section: "delivery", detail: "")
            let complaint = try await server.reaching("verifying")
            // The test's clock stands still, so the three share an instant: they are put in the loop's order here.
            let order = ["customer.acknowledgement", "customer.proposal", "customer.result_confirmation"]
            let messages = try await Self.sent(server, complaint.id).sorted {
                order.firstIndex(of: $0.topic) ?? 9 < order.firstIndex(of: $1.topic) ?? 9
            }
            #expect(messages.map(\.topic) == order)
            #expect(messages.allSatisfy { $0.channel == "email" && $0.recipient == "zhou@example.com" })
            #expect(messages.allSatisfy { $0.subject == "[#\(complaint.number)] 新装空调不制冷" })
            let link =
                "https://kefu.example.cn" + (try await server.services.links.path(for: ComplaintID(complaint.id)))
            #expect(messages.allSatisfy { $0.body.contains(complaint.number) && $0.body.contains(link) })
            #expect(messages[1].body.contains("免费上门更换电容"))
            #expect(messages[2].body.contains("维修完成") && messages[2].body.contains("评分"))
            for message in messages {
                for name in Staff.displayNames {
                    #expect(!message.body.contains(name), "\(message.topic) names \(name)")
                }
            }
        }
    }

    @Test("With an SMS gateway a caller is told by text message; an English complaint in English")
    func textMessages() async throws {
        try await withServer(.sqlite) { server in
            var delivery = await server.services.settings.deliverySettings()
            delivery.smsGatewayURL = "https://sms.example.cn/send"
            try await server.services.settings.save(delivery, by: .commandLine, section: "delivery", detail: "")
            let complaint = try await server.createComplaint([
                "subject": "Air conditioner not cooling", "description": "Installed last week, still warm.",
            ])
            let messages = try await Self.sent(server, complaint.id)
            #expect(messages.map(\.channel) == ["sms"] && messages.first?.recipient == "13800138001")
            #expect(messages.first?.body.hasPrefix("Dear 周女士, we have received your complaint") == true)
        }
    }

    @Test("What is missing is asked for in the customer's words")
    func missingInformation() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.createComplaint()
            _ = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent,
                ["complete": false, "missing": ["reference", "attachments"]])
            let request = try #require(
                try await Self.sent(server, complaint.id).first { $0.topic == "customer.information_request" })
            #expect(request.body.contains("订单号、照片或附件"))
        }
    }

    @Test("A proposal that needs approval reaches the customer only once approved, without staff names")
    func approvalFirst() async throws {
        try await withServer(.sqlite) { server in
            var complaint = try await server.reaching("investigating")
            _ = try await server.perform(
                "submit-analysis", on: complaint, as: Staff.handler,
                ["problemType": "产品质量", "rootCause": "hardware_fault", "findings": "电容老化"])
            complaint = try await server.complaint(complaint.id, as: Staff.handler)
            complaint = try await server.perform(
                "propose-solution", on: complaint, as: Staff.handler,
                ["types": ["repair", "compensation"], "description": "王芳上门更换电容并补偿", "compensation": "3000"])
            #expect(try await Self.sent(server, complaint.id).map(\.topic) == ["customer.acknowledgement"])
            _ = try await server.perform(
                "decide-approval", on: complaint, as: Staff.vicePresident, ["approved": true, "comment": "同意"])
            let proposal = try #require(
                try await Self.sent(server, complaint.id).first { $0.topic == "customer.proposal" })
            // The handler named herself in the proposal; the customer reads "工作人员".
            #expect(proposal.body.contains("工作人员上门更换电容并补偿（¥3000.00）") && !proposal.body.contains("王芳"))
        }
    }

    @Test("Turned off, nothing is sent; an archive brought over is never announced")
    func off() async throws {
        try await withServer(.sqlite) { server in
            try await server.services.settings.save(
                CustomerNoticeSettings(
                    acknowledgement: false, informationRequest: false, proposal: false, result: false, progress: false),
                by: .commandLine, section: "customer_notices", detail: "")
            let complaint = try await server.reaching("verifying")
            #expect(try await Self.sent(server, complaint.id).isEmpty)
            try await server.services.settings.save(
                CustomerNoticeSettings.standard, by: .commandLine, section: "customer_notices", detail: "")
            let agent = try await server.member(Staff.agent)
            let (archived, _) = try await server.services.complaints.create(
                Intake(
                    channel: .letter, customer: CustomerDetails(name: "钱先生", email: "qian@example.com"),
                    subject: "旧投诉", description: "2024 年的来信"),
                receivedAt: server.time.now().addingTimeInterval(-400 * 86_400), origin: .archive, by: .staff(agent))
            #expect(try await Self.sent(server, archived.complaint.id.rawValue).isEmpty)
        }
    }

    @Test("The complaint page lists what the customer was sent, the address masked, and whether it went")
    func onThePage() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.createComplaint()
            let message = try #require(try await Self.sent(server, complaint.id).first)
            try await server.services.store.markAttemptFailed(message.id, error: "mailbox full", retryAt: nil)
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.supervisor)
            let page = try await handler.get("/complaints/\(complaint.number)")
            #expect(page.contains("发给客户的消息") && page.contains("受理确认"))
            #expect(page.contains(Masking.email("zhou@example.com")) && !page.contains("zhou@example.com"))
            #expect(page.contains("mailbox full"))
        }
    }

    @Test("The update cadence reaches the customer at its warning, and the delivered update restarts the clock")
    func cadence() async throws {
        try await withServer(.sqlite) { server in
            // Mail leaves through a stand-in for sendmail that keeps each message in a folder.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let script = folder.appendingPathComponent("sendmail")
            try "#!/bin/sh\ncat > \"\(folder.path)/mail-$$.eml\"\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            var delivery = await server.services.settings.deliverySettings()
            delivery.sendmailPath = script.path
            try await server.services.settings.save(delivery, by: .commandLine, section: "delivery", detail: "")

            let complaint = try await server.reaching("investigating")
            let id = ComplaintID(complaint.id)
            // P2: updates are due daily before 17:00 on working time; three quarters in, the customer is told.
            server.time.set(Instants.instant("2026-04-08T15:30:00+08:00"))
            try await DeadlineWatcher(complaints: server.services.complaints).pass()
            let update = try #require(
                try await Self.sent(server, complaint.id).first { $0.topic == "customer.progress_update" })
            #expect(update.recipient == "zhou@example.com")
            #expect(update.body.contains("目前进展") && update.body.contains("查明原因并提出处理方案"))
            for name in Staff.displayNames { #expect(!update.body.contains(name)) }

            let sent = try await server.services.outbox.dispatcher().pass()
            #expect(sent.failed == 0 && sent.sent >= 2)
            let history = try await server.services.complaints.history(of: id)
            let delivered = history.compactMap { event -> EventChange.CustomerUpdated? in
                if case .customerUpdated(let update) = event.change { return update }
                return nil
            }
            #expect(delivered.map(\.topic).contains("customer.progress_update"))
            #expect(delivered.allSatisfy { $0.channel == "email" })
            let record = try #require(try await server.services.complaints.record(id: id))
            let clock = try #require(record.clocks.first { $0.clock == .customerUpdate })
            #expect(clock.startedAt == server.time.instant(), "the cadence starts again from the delivered update")

            let staff = WebBrowser(server)
            try await staff.signIn(Staff.supervisor)
            let page = try await staff.get("/complaints/\(complaint.number)")
            #expect(page.contains("客户已收到通知"))
        }
    }

    @Test("On the portal the customer writes to us and stops progress updates; what needs their answer still comes")
    func portalChoices() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching("investigating")
            let customer = WebBrowser(server)
            let opened = try await customer.get(try await server.services.links.path(for: ComplaintID(complaint.id)))
            #expect(opened.location == "/portal/complaint")
            let page = try await customer.get("/portal/complaint")
            #expect(page.contains("给我们留言") && page.contains("不再接收进度通知"))
            let wrote = try await customer.post("/portal/complaint/message", [("comment", "周六上午家里有人")])
            #expect(wrote.status == .seeOther)
            let stopped = try await customer.post("/portal/complaint/updates", [("updates", "off")])
            #expect(stopped.status == .seeOther)
            #expect(try await customer.get("/portal/complaint").contains("恢复接收进度通知"))
            let empty = try await customer.post("/portal/complaint/message", [("comment", " ")])
            #expect(empty.status == .unprocessableContent)

            let id = ComplaintID(complaint.id)
            let history = try await server.services.complaints.history(of: id)
            #expect(
                history.contains {
                    if case .messageReceived(let message) = $0.change {
                        return message.text == "周六上午家里有人" && message.channel == .web
                    }
                    return false
                })
            server.time.set(Instants.instant("2026-04-08T15:30:00+08:00"))
            try await DeadlineWatcher(complaints: server.services.complaints).pass()
            #expect(try await Self.sent(server, complaint.id).allSatisfy { $0.topic != "customer.progress_update" })
        }
    }

    @Test("A form read before the customer's message was delivered is still current; a person's change is not")
    func deliveryDoesNotStaleForms() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.createComplaint()
            let message = try #require(try await Self.sent(server, complaint.id).first)
            try await server.services.complaints.recordDelivery(of: message)
            #expect(try await server.complaint(complaint.id, as: Staff.agent).version == complaint.version + 1)
            // The agent's form still carries the version from before the delivery was recorded.
            let checked = try await server.perform(
                "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
            #expect(checked.version == complaint.version + 2)
            // A colleague's step in between still makes the form stale.
            let stale = try await server.act("decide-validity", on: complaint, as: Staff.otherAgent, ["valid": true])
            #expect(try stale.problem(.conflict).code == "complaint.version_conflict")
        }
    }

    @Test(
        "A step written while deliveries are being recorded is decided again, not refused",
        arguments: DatabaseKind.available)
    func deliveryDuringWrite(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let created = try await server.createComplaint()
            let message = try #require(try await Self.sent(server, created.id).first)
            // Three writers at once: each can lose the commit to the other two at most, within the attempts allowed.
            for round in 1...8 {
                let current = try await server.complaint(created.id, as: Staff.agent)
                let note = try await withThrowingTaskGroup(of: TestResponse?.self) { group in
                    group.addTask {
                        try await server.act("add-note", on: current, as: Staff.agent, ["text": "催办备注 \(round)"])
                    }
                    for _ in 0..<2 {
                        group.addTask { () -> TestResponse? in
                            try await server.services.complaints.recordDelivery(of: message)
                            return nil
                        }
                    }
                    var answer: TestResponse?
                    for try await result in group { answer = answer ?? result }
                    return try #require(answer)
                }
                #expect(note.status == .ok, "round \(round): \(note.text)")
                #expect(try await server.complaint(created.id, as: Staff.agent).version == current.version + 3)
            }
        }
    }
}
