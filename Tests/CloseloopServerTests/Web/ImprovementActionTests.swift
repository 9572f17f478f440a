@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// Improvement actions (整改措施): raised from a hotspot, owned, tracked to verified, and watched like a clock.
@Suite("Improvement actions")
struct ImprovementActionTests {
    @Test(
        "Raised from a hotspot, started and finished by its owner, verified by quality; warned and breached once",
        arguments: DatabaseKind.available)
    func lifecycle(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            try await server.services.store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.handler)), channel: "email", address: "wangfang@example.com"))
            try await server.services.store.saveNotificationTarget(
                .init(owner: .department(Staff.afterSales), channel: "email", address: "after-sales@example.com"))
            let quality = WebBrowser(server)
            try await quality.signIn(Staff.quality)
            let form = try await quality.get(
                "/actions/new?source=hotspot:%E5%AE%A4%E5%A4%96%E6%9C%BA&title=%E5%AE%A4%E5%A4%96%E6%9C%BA")
            #expect(form.status == .ok)
            #expect(form.contains("来自高频问题：室外机"))
            // Every problem at once: no owner, a due day already past, an unknown complaint.
            let refused = try await quality.post(
                "/actions",
                [
                    ("title", "室外机异响整改"), ("source", "hotspot:室外机"), ("department", "after_sales"), ("owner", ""),
                    ("due", "2026-04-01"), ("complaints", "999999999"),
                ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("不能早于今天") && refused.contains("找不到投诉 999999999"))
            let raised = try await quality.post(
                "/actions",
                [
                    ("title", "室外机异响整改"), ("description", "安装时加装减震垫"), ("source", "hotspot:室外机"),
                    ("department", "after_sales"), ("owner", Staff.handler), ("due", "2026-04-10"),
                    ("complaints", complaint.number),
                ])
            #expect(raised.status == .seeOther)
            let id = try #require(raised.location?.split(separator: "/").last.map(String.init))
            #expect(id == "IA-2026-001")

            // Only the owner starts and finishes (with what was done); quality verifies.
            let agent = WebBrowser(server)
            try await agent.signIn(Staff.agent)
            #expect(try await agent.post("/actions/\(id)/step", [("step", "start")]).status == .unprocessableContent)
            #expect(try await agent.get("/actions/new").status == .forbidden)
            let owner = WebBrowser(server)
            try await owner.signIn(Staff.handler)
            #expect(try await owner.post("/actions/\(id)/step", [("step", "start")]).status == .seeOther)

            // The due day's morning: one warning to the owner; the day after: one breach to the owner and department.
            let watcher = DeadlineWatcher(
                complaints: server.services.complaints, improvements: server.services.improvements)
            server.time.set(Instants.instant("2026-04-10T09:00:00+08:00"))
            // Two instances' watchers reaching it together send one warning.
            let other = DeadlineWatcher(
                complaints: server.services.complaints, improvements: server.services.improvements)
            async let first = watcher.pass()
            async let second = other.pass()
            _ = try await (first, second)
            try await watcher.pass()
            server.time.set(Instants.instant("2026-04-11T00:30:00+08:00"))
            try await watcher.pass()
            let sent = try await server.services.store.outboxMessages(limit: 50).filter {
                $0.topic.hasPrefix("action.")
            }
            #expect(sent.filter { $0.topic == "action.warning" }.map(\.recipient) == ["wangfang@example.com"])
            #expect(
                Set(sent.filter { $0.topic == "action.breach" }.map(\.recipient)) == [
                    "wangfang@example.com", "after-sales@example.com",
                ])
            // Days later the browser sessions have lapsed: both sign in again.
            try await quality.signIn(Staff.quality)
            try await owner.signIn(Staff.handler)
            let overdue = try await quality.get("/actions")
            #expect(overdue.contains("已逾期"))

            let noResult = try await owner.post("/actions/\(id)/step", [("step", "finish"), ("note", "")])
            #expect(noResult.status == .unprocessableContent)
            #expect(
                try await owner.post("/actions/\(id)/step", [("step", "finish"), ("note", "已为所有安装单加装减震垫")]).status
                    == .seeOther)
            #expect(
                try await owner.post("/actions/\(id)/step", [("step", "verify")]).status == .unprocessableContent,
                "not one's own")
            #expect(try await quality.post("/actions/\(id)/step", [("step", "verify")]).status == .seeOther)
            let done = try #require(try await server.services.improvements.find(id))
            #expect(done.status == .verified && done.result == "已为所有安装单加装减震垫")
            let audit = try await server.services.store.auditEntries(limit: 20).map(\.action)
            #expect(audit.contains("action.raise") && audit.contains("action.verify"))
        }
    }
}
