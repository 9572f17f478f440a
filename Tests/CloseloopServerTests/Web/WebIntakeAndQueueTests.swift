@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The agents' intake form and the staff queues.
@Suite("Web intake and queues")
struct WebIntakeAndQueueTests {
    static let intake: [(String, String)] = [
        ("channel", "phone"), ("kind", "complaint"), ("customer.name", "周女士"), ("customer.phone", "13800138001"),
        ("subject", "空调又坏了"), ("description", "上次修好的空调又不制冷了。"), ("priority", "P2"),
        ("severity", "dissatisfied"),
    ]

    @Test(
        "An agent records a phone complaint; a second one from the same customer is offered as a repeat",
        arguments: DatabaseKind.available)
    func repeatCheck(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let earlier = try await server.createComplaint()
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let form = try await agent.get("/intake")
            let key = try #require(form.inputValue("submissionKey"))
            let check = try await agent.post("/intake", Self.intake + [("submissionKey", key)])
            #expect(check.status == .ok)
            #expect(check.contains("该客户近期已有投诉"))
            #expect(check.contains(earlier.number))
            #expect(check.inputValue("subject") == "空调又坏了")
            #expect(try await server.complaintCount() == 1, "nothing is saved before the agent decides")

            let saved = try await agent.post(
                "/intake",
                Self.intake + [("submissionKey", key), ("repeatChecked", "1"), ("repeatOf", earlier.number)])
            #expect(saved.status == .seeOther)
            let number = try #require(saved.location?.split(separator: "/").last?.split(separator: "?").first)
            let record = try #require(try await server.services.store.record(number: String(number)))
            #expect(record.complaint.repeatOf == earlier.number)
            #expect(record.complaint.severity == .major)
            #expect(record.complaint.intake.channel == .phone)
        }
    }

    @Test("An incomplete intake comes back with each problem and keeps what was typed, files included")
    func intakeErrors() async throws {
        try await withServer(.sqlite) { server in
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let form = try await agent.get("/intake")
            let key = try #require(form.inputValue("submissionKey"))
            let letter = WebBrowser.Upload(
                field: "files", name: "来信.pdf", type: "application/pdf", bytes: Array("%PDF-1.4".utf8))
            let page = try await agent.post(
                "/intake",
                [
                    ("channel", "letter"), ("customer.name", "王先生"), ("customer.phone", "12345"), ("subject", ""),
                    ("description", "信件内容……"), ("submissionKey", key), ("receivedAt", "2026-04-07T15:30"),
                ], files: [letter])
            #expect(page.status == .unprocessableContent)
            #expect(page.contains("电话号码格式不正确"))
            #expect(page.contains("必填项"))
            #expect(page.inputValue("customer.name") == "王先生")
            #expect(page.selected("channel") == "letter")
            #expect(page.contains("来信.pdf"))
            let kept = try #require(page.inputValue("keptFile"))
            let fixed = try await agent.post(
                "/intake",
                [
                    ("channel", "letter"), ("customer.name", "王先生"), ("customer.phone", "13912345678"),
                    ("subject", "来信投诉"), ("description", "信件内容……"), ("submissionKey", key),
                    ("receivedAt", "2026-04-07T15:30"), ("keptFile", kept),
                ])
            #expect(fixed.status == .seeOther)
            let number = String(try #require(fixed.location?.split(separator: "/").last?.split(separator: "?").first))
            let record = try #require(try await server.services.store.record(number: number))
            #expect(record.complaint.intake.attachments.map(\.fileName) == ["来信.pdf"])
            #expect(record.complaint.receivedAt == Instants.instant("2026-04-07T15:30:00+08:00"))
        }
    }

    @Test("Only intake roles see the intake form")
    func intakeRoles() async throws {
        try await withServer(.sqlite) { server in
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            #expect(try await handler.get("/intake").status == .forbidden)
        }
    }

    @Test(
        "Queues show mine, the department's, unassigned and due, with time left in working hours",
        arguments: DatabaseKind.available)
    func queues(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let fresh = try await server.createComplaint(["subject": "刚受理的投诉"])
            let assigned = try await server.reaching(
                "investigating", ["subject": "已分派的投诉", "customer": ["name": "李先生", "phone": "13900139000"]],
                assignment: ["category": "quality", "priority": "P1", "owner": Staff.otherAgent])
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            let mine = try await handler.get("/queue?view=mine")
            #expect(mine.contains("已分派的投诉"))
            #expect(!mine.contains("刚受理的投诉"))
            let department = try await handler.get("/queue?view=department")
            #expect(department.contains("已分派的投诉"))

            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let unassigned = try await agent.get("/queue?view=unassigned")
            #expect(unassigned.contains(fresh.number))
            #expect(!unassigned.contains(assigned.number))
            let due = try await agent.get("/queue?view=due")
            #expect(due.contains("剩余 30 分钟"), "first contact of a dissatisfied customer: 30 working minutes")
            #expect(due.contains("首次联系客户 · 工作时间"), "each row names the basis its time left is counted on")
            server.time.advance(by: 3600)
            let overdue = try await agent.get("/queue?view=due&overdue=1")
            #expect(overdue.contains("已超时"))
            #expect(overdue.contains(fresh.number))
            // Phones never appear in full in a list.
            #expect(!due.contains("13800138001"))
        }
    }

    @Test("Chinese full-text search and saved filters that belong to their owner")
    func searchAndSavedFilters() async throws {
        try await withServer(.sqlite) { server in
            _ = try await server.createComplaint(["subject": "冰箱门有裂缝"])
            _ = try await server.createComplaint(["subject": "洗衣机漏水"])
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let found = try await agent.get("/queue?view=all&q=" + WebBrowser.encode("裂缝"))
            #expect(found.contains("冰箱门有裂缝"))
            #expect(!found.contains("洗衣机漏水"))
            let saved = try await agent.post(
                "/queue/filters", [("name", "裂缝投诉"), ("query", "q=%E8%A3%82%E7%BC%9D&view=all")])
            #expect(saved.status == .seeOther)
            let queue = try await agent.get("/queue")
            #expect(queue.contains("裂缝投诉"))
            let colleague = WebBrowser(server)
            try await colleague.signIn(Staff.otherAgent)
            #expect(!(try await colleague.get("/queue").contains("裂缝投诉")))
            let filters = try await server.services.store.savedFilters(of: UserID(Staff.agent))
            let filter = try #require(filters.first)
            // Someone else's id is ignored, the owner's own deletion works.
            try await colleague.get("/queue")
            _ = try await colleague.post("/queue/filters/\(filter.id)/delete", [])
            #expect(try await server.services.store.savedFilters(of: UserID(Staff.agent)).count == 1)
            try await agent.get("/queue")
            _ = try await agent.post("/queue/filters/\(filter.id)/delete", [])
            #expect(try await server.services.store.savedFilters(of: UserID(Staff.agent)).isEmpty)
        }
    }

    @Test("The live queue stream is for staff only")
    func liveNeedsStaff() async throws {
        try await withServer(.sqlite) { server in
            let anonymous = WebBrowser(server)
            let page = try await anonymous.get("/live/queue")
            #expect(page.status == .seeOther)
        }
    }
}
