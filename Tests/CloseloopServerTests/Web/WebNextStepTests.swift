@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import CloseloopServer

/// The complaint page says what happens next (state, what just changed, whose turn and by when), opens the expected
/// action first, and lands at its top after an action; the assign form takes a due date within the policy.
@Suite("Complaint page: the next step and the assignment")
struct WebNextStepTests {
    private func act(
        _ browser: WebBrowser, _ number: String, _ action: String, _ fields: [(String, String)]
    ) async throws -> WebBrowser.Page {
        let page = try await browser.get("/complaints/\(number)")
        let version = try #require(page.inputValue("version"))
        return try await browser.post("/complaints/\(number)/actions/\(action)", [("version", version)] + fields)
    }

    /// The `<details>` ids of the action forms, in page order, and the one open.
    private func actionForms(_ page: WebBrowser.Page) -> (order: [String], open: [String]) {
        let regex = try! NSRegularExpression(pattern: #"<details class="action[^"]*" id="action-([a-z_]+)" (open)?"#)
        let html = page.html
        var order: [String] = []
        var open: [String] = []
        for match in regex.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let name = String(html[Range(match.range(at: 1), in: html)!])
            order.append(name)
            if match.range(at: 2).location != NSNotFound { open.append(name) }
        }
        return (order, open)
    }

    @Test("After the customer rejects a proposal the banner says so and asks for another; the old one is set aside")
    func rejectedProposal() async throws {
        try await withServer(.sqlite) { server in
            var complaint = try await server.reaching("proposed")
            complaint = try await server.perform(
                "respond-to-proposal", on: complaint, as: Staff.agent, ["accepted": false, "comment": "补偿太少，要求换新"])
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            let page = try await handler.get("/complaints/\(complaint.number)")
            let banner = try #require(
                page.html.range(of: "id=\"next-step\"").map { String(page.html[$0.lowerBound...]) })
            #expect(banner.contains("客户拒绝了方案：“补偿太少，要求换新”，请重新提出方案"))
            #expect(banner.contains("下一步：提出处理方案"))
            #expect(banner.contains("解决时限：") && banner.contains("截止，剩余"))
            // The expected action first and open, the others after it and closed.
            let forms = actionForms(page)
            #expect(forms.order.first == "propose_solution")
            #expect(forms.open == ["propose_solution"])
            // The rejected proposal is shown as the previous one, not as the proposal on the table.
            #expect(page.contains("上一方案"))
            #expect(page.contains("客户已拒绝"))
            #expect(!page.contains("<h3>处理方案</h3>"))
            // The owner reads whose turn it is; their own part meanwhile is keeping the customer informed.
            let owner = WebBrowser(server)
            try await owner.signIn(Staff.agent)
            let ownerPage = try await owner.get("/complaints/\(complaint.number)")
            #expect(ownerPage.contains("下一步：提出处理方案 — 处理人 王芳"))
            #expect(actionForms(ownerPage).open == ["record_contact"])
            #expect(!ownerPage.contains("class=\"next-go\""), "no shortcut to a form that is not the next step")
        }
    }

    @Test("After an action the page opens at its top, with the confirmation before the new state")
    func landsAtTop() async throws {
        try await withServer(.sqlite) { server in
            let created = try await server.createComplaint()
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            let answer = try await act(agent, created.number, "check_completeness", [("complete", "yes")])
            #expect(answer.status == .seeOther)
            let location = try #require(answer.location)
            #expect(!location.contains("#"), "no fragment scrolls the page away from the confirmation")
            let page = try await agent.follow(answer)
            let done = try #require(page.html.range(of: "已完成：完整性校验"))
            let banner = try #require(page.html.range(of: "id=\"next-step\""))
            let timeline = try #require(page.html.range(of: "id=\"timeline\""))
            #expect(done.lowerBound < banner.lowerBound && banner.lowerBound < timeline.lowerBound)
            #expect(page.contains("下一步：有效性判定"))
            #expect(actionForms(page).open == ["decide_validity"])
        }
    }

    @Test("The assign form: a due date past the resolution deadline is refused beside the field, in each language")
    func dueDateWithinPolicy() async throws {
        try await withServer(.sqlite) { server in
            let complaint = try await server.reaching("validated")
            let deadline = try #require(complaint.clock("resolution")?.dueAt)
            let calendar = await server.services.settings.current().calendar
            let formatting = WebFormatting(calendar: calendar, language: .zhHans, strings: try UIStrings.bundled())
            let supervisor = WebBrowser(server)
            try await supervisor.signIn(Staff.supervisor)
            let form = try await supervisor.get("/complaints/\(complaint.number)")
            #expect(form.contains("data-filter-by=\"f-assign-department\""))
            #expect(form.contains("name=\"ownerSelf\""), "a supervisor may take the complaint as owner")
            #expect(form.contains("data-departments=\"after_sales\""))
            let fields: [(String, String)] = [
                ("category", "delivery.damage"), ("priority", complaint.priority), ("severity", complaint.severity),
                ("department", "after_sales"), ("owner", Staff.agent), ("handler", Staff.handler),
            ]
            let late = try await act(
                supervisor, complaint.number, "assign",
                fields + [("handlerDue", formatting.inputDateTime(deadline.addingTimeInterval(3600)))])
            #expect(late.status == .unprocessableContent)
            #expect(late.contains("不能晚于解决时限 \(formatting.dateTime(deadline))"))
            #expect(late.contains("has-error"))

            _ = try await supervisor.post("/language", [("language", "en"), ("next", "/queue")])
            let past = try await act(
                supervisor, complaint.number, "assign",
                fields + [("handlerDue", formatting.inputDateTime(server.time.instant().addingTimeInterval(-3600)))])
            #expect(past.status == .unprocessableContent)
            #expect(past.contains("must be in the future"))
            _ = try await supervisor.post("/language", [("language", "zh-Hans"), ("next", "/queue")])

            // Within the deadline, and "assign to me": the supervisor is the owner whatever the picker said.
            let due = deadline.addingTimeInterval(-86_400)
            let accepted = try await act(
                supervisor, complaint.number, "assign",
                fields + [("handlerDue", formatting.inputDateTime(due)), ("ownerSelf", "1")])
            #expect(accepted.status == .seeOther)
            let record = try #require(try await server.services.store.record(number: complaint.number))
            #expect(record.complaint.owner == UserID(Staff.supervisor))
            #expect(record.complaint.handlerDue == due)
            let page = try await supervisor.follow(accepted)
            #expect(page.contains("要求完成时间"))
            #expect(page.contains("id=\"handler-due\">\(formatting.dateTime(due))"))
            #expect(page.html.components(separatedBy: formatting.dateTime(due)).count >= 3, "panel and timeline")
            // It is the handler's turn now, and their banner carries the target beside the policy's deadline.
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            let handlerPage = try await handler.get("/complaints/\(complaint.number)")
            #expect(handlerPage.contains("分派时要求处理人在 \(formatting.dateTime(due)) 前完成"))
        }
    }

    @Test("The API takes the same due date by the same rule", arguments: DatabaseKind.available)
    func dueDateOverAPI(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.reaching("validated")
            let deadline = try #require(complaint.clock("resolution")?.dueAt)
            var fields: [String: any Sendable] = [
                "category": "after_sales", "priority": complaint.priority, "severity": complaint.severity,
                "department": "after_sales", "owner": Staff.agent, "handler": Staff.handler,
            ]
            fields["handlerDue"] = Instants.text(deadline.addingTimeInterval(60))
            let problem = try await server.act("assign", on: complaint, as: Staff.supervisor, fields)
                .problem(.unprocessableContent)
            #expect(problem.errors?.map(\.field) == ["handlerDue"])
            #expect(problem.errors?.map(\.code) == ["after_resolution_deadline"])
            fields["handlerDue"] = Instants.text(deadline)
            let assigned = try await server.perform("assign", on: complaint, as: Staff.supervisor, fields)
            #expect(assigned.handlerDue == deadline)
        }
    }

    @Test("Time left reads as people say it, in both languages, and never as 0 beside overdue")
    func timeLeftText() throws {
        let calendar = BusinessCalendar.chinaMainland
        let strings = try UIStrings.bundled()
        let monday = Instants.instant("2026-04-13T10:00:00+08:00")
        let cases: [(TimeInterval, TimeBasis, String, String)] = [
            (12 * 60, .working, "剩余 12 分钟", "12 min left"),
            (3 * 3600 + 20 * 60, .calendar, "剩余 3 小时 20 分", "3 h 20 min left"),
            (-(28 * 3600), .calendar, "超时 1 天 4 小时", "overdue 1 d 4 h"),
        ]
        for (offset, basis, zh, en) in cases {
            for (language, text) in [(Language.zhHans, zh), (.en, en)] {
                let formatting = WebFormatting(calendar: calendar, language: language, strings: strings)
                #expect(
                    formatting.timeLeft(until: monday.addingTimeInterval(offset), basis: basis, now: monday).text
                        == text)
            }
        }
        // Two working days from Monday 10:00 is Wednesday 10:00.
        let zh = WebFormatting(calendar: calendar, language: .zhHans, strings: strings)
        let en = WebFormatting(calendar: calendar, language: .en, strings: strings)
        let wednesday = Instants.instant("2026-04-15T10:00:00+08:00")
        #expect(zh.timeLeft(until: wednesday, basis: .working, now: monday).text == "剩余 2 个工作日")
        #expect(en.timeLeft(until: wednesday, basis: .working, now: monday).text == "2 working days left")
        // Missed at 18:00 on Friday and read that evening: overdue, with no working time yet to count.
        let friday = Instants.instant("2026-04-10T18:00:00+08:00")
        let evening = Instants.instant("2026-04-10T21:00:00+08:00")
        let missed = zh.timeLeft(until: friday, basis: .working, now: evening)
        #expect(missed.overdue && missed.text == "已超时")
        // Every compact limit has words in both languages.
        for (limit, basis, zhText, enText) in [
            (TimeLimit.endOfDay, TimeBasis.working, "当天下班前", "end of the working day"),
            (.dailyAt(LocalTime(hour: 17, minute: 0)), .working, "工作日 17:00 前", "by 17:00 on a working day"),
            (.days(5), .working, "5 个工作日", "5 working days"), (.minutes(30), .calendar, "30 分钟", "30 min"),
        ] {
            #expect(zh.limit(limit, basis: basis) == zhText)
            #expect(en.limit(limit, basis: basis) == enText)
        }
    }
}
