@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The queues for the day's work (issue 15 item 4): counts on the tabs, nearest deadline first, every decision in
/// "awaiting my decision" with what it is about, and assigning many complaints at once.
@Suite("Queues for the day's work")
struct WebQueueWorkTests {
    @Test(
        "Approvals, delays and countersignatures wait in one tab, with the amount and the deadline, and are counted",
        arguments: DatabaseKind.available)
    func decisions(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // A proposal beyond the handler's authority waits for the vice-president.
            var approval = try await server.reaching("investigating")
            approval = try await server.perform(
                "submit-analysis", on: approval, as: Staff.handler,
                ["problemType": "产品质量", "rootCause": "hardware_fault", "findings": "电容老化"])
            approval = try await server.perform(
                "propose-solution", on: approval, as: Staff.handler,
                ["types": ["repair", "compensation"], "description": "更换电容并补偿", "compensation": "3000"])
            #expect(approval.state == "awaiting_approval")
            // A return visit done waits for the supervisor's countersignature.
            var countersign = try await server.reaching("verifying", ["subject": "会签测试"])
            countersign = try await server.perform(
                "verify", on: countersign, as: Staff.agent, ["solved": true, "satisfied": true, "score": 5])
            countersign = try await server.perform(
                "record-return-visit", on: countersign, as: Staff.agent, ["notes": "回访满意"])
            #expect(countersign.state == "awaiting_countersign")

            let vicePresident = WebBrowser(server)
            try await vicePresident.signIn(Staff.vicePresident)
            let theirs = try await vicePresident.get("/queue?view=approvals")
            #expect(theirs.contains(approval.number) && !theirs.contains(countersign.number))
            #expect(theirs.contains("方案审批") && theirs.contains("¥3000.00") && theirs.contains("前审批"))
            #expect(Self.count(of: "approvals", in: theirs) == "1")

            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let mine = try await supervisor.get("/queue?view=approvals")
            #expect(mine.contains(countersign.number) && mine.contains("会签结案"))
            #expect(!mine.contains(approval.number), "the supervisor's authority does not reach ¥3,000")
            #expect(Self.count(of: "approvals", in: mine) == "1")
        }
    }

    @Test("Each tab shows its count; the queues list the nearest deadline first, those without one last")
    func countsAndOrder() async throws {
        try await withServer(.sqlite) { server in
            let first = try await server.reaching("investigating", ["subject": "先受理"])
            server.time.advance(by: 3600)
            let second = try await server.createComplaint(["subject": "后受理"])
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let queue = try await agent.get("/queue")
            #expect(Self.count(of: "mine", in: queue) == "1")
            #expect(Self.count(of: "unassigned", in: queue) == "1")
            #expect(Self.count(of: "all", in: queue) == nil, "the search over everything has no count")
            let records = [
                try #require(try await server.services.store.record(number: first.number)),
                try #require(try await server.services.store.record(number: second.number)),
            ]
            let expected = records.sorted { $0.nextDueAt! < $1.nextDueAt! }.map(\.complaint.number)
            let due = try await agent.get("/queue?view=due")
            let numbers = due.html.matches(of: /href="\/complaints\/(\d+)"/).map { String($0.output.1) }
            #expect(numbers == expected)
            #expect(due.contains("受理 / 已过") && due.contains("1 小时"))
            // A closed complaint has no running clock: the search over everything, sorted by deadline, lists it last.
            let closed = try await DailyReportAgreementTests.closed(server, subject: "已结案")
            let sorted = try await agent.get("/queue?view=all&sort=due")
            let order = sorted.html.matches(of: /href="\/complaints\/(\d+)"/).map { String($0.output.1) }
            #expect(order.last == closed.number && order.count == 3)
        }
    }

    @Test("A supervisor assigns two validated complaints and reassigns one in hand at once; each says what was done")
    func bulkAssign() async throws {
        try await withServer(.sqlite) { server in
            var validated: [ComplaintBody] = []
            for subject in ["批量一", "批量二"] {
                var complaint = try await server.createComplaint(["subject": subject])
                complaint = try await server.perform(
                    "check-completeness", on: complaint, as: Staff.agent, ["complete": true])
                complaint = try await server.perform("decide-validity", on: complaint, as: Staff.agent, ["valid": true])
                validated.append(complaint)
            }
            let inHand = try await server.reaching("investigating", ["subject": "处理中"])
            let fresh = try await server.createComplaint(["subject": "刚受理"])
            let numbers = validated.map(\.number) + [inHand.number, fresh.number]

            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            #expect(try await agent.get("/queue/assign?complaint=\(inHand.number)").status == .forbidden)

            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let form = try await supervisor.get(
                "/queue/assign?" + numbers.map { "complaint=\($0)" }.joined(separator: "&"))
            #expect(form.status == .ok && form.contains("分类分派") && form.contains("改派") && form.contains("将跳过"))
            let pairs = numbers.map { ("complaint", $0) }
            let missing = try await supervisor.post("/queue/assign", pairs + [("department", "logistics")])
            #expect(missing.status == .unprocessableContent && missing.contains("必填项"))

            let done = try await supervisor.post(
                "/queue/assign",
                pairs + [
                    ("department", "logistics"), ("owner", Staff.agent), ("handler", Staff.logisticsHandler),
                    ("category", "logistics"), ("reason", "物流问题，转物流部"),
                ])
            #expect(done.status == .ok && done.contains("已完成 3 件"))
            for number in validated.map(\.number) + [inHand.number] {
                let record = try #require(try await server.services.store.record(number: number))
                #expect(record.complaint.department == Staff.logistics)
                #expect(record.complaint.handler == UserID(Staff.logisticsHandler))
                #expect(record.complaint.state == .investigating)
            }
            let untouched = try #require(try await server.services.store.record(number: fresh.number))
            #expect(untouched.complaint.department == nil && done.contains("当前状态不能分派"))
        }
    }

    /// The count a queue tab shows, nil when it shows none.
    static func count(of view: String, in page: WebBrowser.Page) -> String? {
        let pattern = try! Regex<(Substring, Substring)>(
            "href=\"/queue\\?view=\(view)\"[^>]*>[^<]*<span class=\"count\">(\\d+)</span>")
        return page.html.firstMatch(of: pattern).map { String($0.output.1) }
    }
}
