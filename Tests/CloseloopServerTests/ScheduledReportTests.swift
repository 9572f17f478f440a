@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// SPEC §7's reports mailed on a schedule: chosen by an administrator for people who may read them, queued once per
/// period and address when the period is over, and delivered as email with the workbook attached.
@Suite("Scheduled reports")
struct ScheduledReportTests {
    /// Email addresses for the general manager (reading English), quality and the after-sales manager.
    static func addresses(_ server: TestServer) async throws {
        let store = server.services.store
        for (user, address) in [
            (Staff.generalManager, "liuyang@example.com"), (Staff.quality, "sunli@example.com"),
            (Staff.manager, "zhaolei@example.com"),
        ] {
            try await store.saveNotificationTarget(
                .init(owner: .user(UserID(user)), channel: "email", address: address))
        }
        var manager = try #require(try await store.user(username: Staff.generalManager))
        manager.language = .en
        try await store.updateUser(manager)
    }

    @Test("Only an administrator keeps the schedule, and only for people who may read its figures")
    func choosing() async throws {
        try await withServer(.sqlite) { server in
            let reports = server.services.scheduledReports
            let quality = try #require(try await server.services.store.user(username: Staff.quality))
            await #expect(throws: AccessDenied.self) {
                try await reports.add(.monthly, department: nil, recipients: [quality.id], by: .staff(quality))
            }
            let admin = try #require(try await server.services.store.user(username: Staff.admin))
            let refused = await #expect(throws: ConfigurationError.self) {
                try await reports.add(
                    .monthly, department: nil, recipients: [UserID(Staff.manager), UserID(Staff.agent)],
                    by: .staff(admin))
            }
            #expect(refused?.problems.count == 2, "a department manager and an agent may not read the company's")
            let kept = try await reports.add(
                .weekly, department: Staff.afterSales, recipients: [UserID(Staff.manager)], by: .staff(admin))
            #expect(try await reports.schedule(by: .staff(admin)).subscriptions == [kept])
            #expect(try await reports.remove(kept.id, by: .staff(admin)))
            #expect(try await reports.schedule(by: .staff(admin)).subscriptions.isEmpty)
            #expect(try await !reports.remove(kept.id, by: .staff(admin)))
        }
    }

    @Test(
        "Last month's report is queued once per address after the report time, in each reader's language",
        arguments: DatabaseKind.available)
    func queued(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            _ = try await DashboardTests.seed(server)
            try await Self.addresses(server)
            let reports = server.services.scheduledReports
            try await reports.add(
                .monthly, department: nil, recipients: [UserID(Staff.generalManager), UserID(Staff.quality)],
                by: .commandLine)
            try await reports.add(
                .weekly, department: Staff.afterSales, recipients: [UserID(Staff.manager)], by: .commandLine)
            // 1 May (a Friday) before the 08:00 report time: April is over, but its report waits for the morning's
            // time; the week of 20–26 April, over since Monday and never sent, goes at once.
            server.time.set(Instants.instant("2026-05-01T07:59:00+08:00"))
            #expect(try await reports.sendDue() == 1)
            server.time.set(Instants.instant("2026-05-01T08:00:00+08:00"))
            #expect(try await reports.sendDue() == 2, "April's, to each of its two readers")
            #expect(try await reports.sendDue() == 0, "a period's report is queued once")
            let queued = try await server.services.store.outboxMessages(status: .pending)
            let monthly = queued.filter { $0.topic == "report.monthly" }
            #expect(Set(monthly.map(\.recipient)) == ["liuyang@example.com", "sunli@example.com"])
            let english = try #require(monthly.first { $0.recipient == "liuyang@example.com" })
            #expect(english.subject == "[Monthly complaints report] Company 2026-04")
            #expect(english.body.contains("Received: 4"))
            let chinese = try #require(monthly.first { $0.recipient == "sunli@example.com" })
            #expect(chinese.subject == "【投诉月报】全公司 2026-04")
            #expect(chinese.body.contains("受理：4"))
            let weekly = try #require(queued.first { $0.topic == "report.weekly" })
            #expect(weekly.subject == "【投诉周报】售后服务部 2026-04-20 – 2026-04-26")
            let files = try await server.services.store.outboxAttachments(of: english.id)
            #expect(files.map(\.fileName) == ["closeloop-monthly-2026-04.xlsx"])
            #expect(files.first?.data.prefix(2) == Data("PK".utf8), "a zip container")
            #expect(files.first?.contentType == XLSXWorkbook.contentType)
        }
    }

    @Test("The email carries the report as text and the workbook as a base64 attachment")
    func delivered() async throws {
        try await withServer(.sqlite) { server in
            // Only the report is to be sent here, not the seeded complaints' messages to their customers.
            try await server.services.settings.save(
                CustomerNoticeSettings(
                    acknowledgement: false, informationRequest: false, proposal: false, result: false, progress: false),
                by: .commandLine, section: "customer_notices", detail: "")
            _ = try await DashboardTests.seed(server)
            try await Self.addresses(server)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sendmail-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let script = folder.appendingPathComponent("sendmail")
            try "#!/bin/sh\ncat > \"\(folder.path)/mail-$$.eml\"\n".write(to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
            var delivery = DeliverySettings.standard
            delivery.sendmailPath = script.path
            try await server.services.settings.save(delivery, by: .commandLine, section: "delivery", detail: "")
            try await server.services.scheduledReports.add(
                .monthly, department: nil, recipients: [UserID(Staff.quality)], by: .commandLine)
            server.time.set(Instants.instant("2026-05-03T10:00:00+08:00"))
            #expect(try await server.services.scheduledReports.sendDue() == 1)
            let dispatcher = server.services.outbox.dispatcher()
            #expect(try await dispatcher.pass().sent == 1)
            let eml = try #require(
                try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".eml") })
            let mail = try String(contentsOf: folder.appendingPathComponent(eml), encoding: .utf8)
            let boundary = try #require(
                mail.components(separatedBy: "boundary=\"").dropFirst().first?.components(separatedBy: "\"").first)
            let parts = mail.components(separatedBy: "--\(boundary)")
            #expect(parts.count == 4, "preamble, the text, the workbook, and the closing delimiter's rest")
            #expect(parts[1].contains("Content-Type: text/plain; charset=UTF-8"))
            let text = Data(
                base64Encoded: try #require(parts[1].components(separatedBy: "\r\n\r\n").last)
                    .replacingOccurrences(of: "\r\n", with: ""))
            #expect(text.map { String(decoding: $0, as: UTF8.self) }?.contains("投诉统计报表 2026-04") == true)
            #expect(parts[2].contains("filename=\"closeloop-monthly-2026-04.xlsx\""))
            let workbook = Data(
                base64Encoded: try #require(parts[2].components(separatedBy: "\r\n\r\n").last)
                    .replacingOccurrences(of: "\r\n", with: ""))
            let stored = try await server.services.store.outboxAttachments(
                of:
                    "report:\(try #require(await server.services.settings.reportSchedule().subscriptions.first).id):2026-04:sunli@example.com"
            )
            #expect(workbook == stored.first?.data)
        }
    }

    @Test("The administration page offers only readers of figures, keeps a choice and explains a refusal")
    func page() async throws {
        try await withServer(.sqlite) { server in
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let empty = try await admin.get("/admin/reports")
            #expect(empty.status == .ok)
            #expect(empty.contains("还没有定期报表"))
            #expect(empty.contains("value=\"\(Staff.quality)\""))
            #expect(!empty.contains("value=\"\(Staff.agent)\""), "an agent reads no figures")
            let refused = try await admin.post(
                "/admin/reports", [("frequency", "monthly"), ("department", ""), ("recipient", Staff.manager)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("may not read these figures"))
            let none = try await admin.post("/admin/reports", [("frequency", "weekly"), ("department", "")])
            #expect(none.status == .unprocessableContent)
            #expect(none.contains("请至少选择一位收件人"))
            let saved = try await admin.follow(
                try await admin.post(
                    "/admin/reports",
                    [("frequency", "weekly"), ("department", "after_sales"), ("recipient", Staff.manager)]))
            #expect(saved.contains("周报") && saved.contains("售后服务部") && saved.contains("赵磊（无邮箱，收不到）"))
            let audit = try await server.services.store.auditEntries(limit: 5)
            #expect(audit.contains { $0.action == "settings.reports" })

            let quality = WebBrowser(server)
            try await quality.signIn(Staff.quality)
            #expect(try await quality.get("/admin/reports").status == .forbidden)
        }
    }
}
