@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// Quality's spot checks (质检/抽检): a random sample of each department's closed complaints, scored against the
/// checklist, feeding the league tables.
@Suite("Spot checks")
struct SpotCheckTests {
    @Test(
        "Quality draws a sample of a department's closed complaints, scores them, and the league shows the score",
        arguments: DatabaseKind.available)
    func drawAndScore(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            // Three closed in after-sales in April, one still open; April is the month checked.
            var closed: [String] = []
            for _ in 0..<3 { closed.append(try await LoopOverHTTPTests.closedComplaint(server).number) }
            let open = try await server.reaching("investigating")
            server.time.set(Instants.instant("2026-05-03T10:00:00+08:00"))
            let admin = WebBrowser(server)
            try await admin.signIn(Staff.admin)
            let saved = try await admin.post(
                "/admin/quality",
                [("text", "sample: 2\nfirst_contact | 首次联系及时 | first contact | 50\nrecord | 记录完整 | record | 50")])
            #expect(saved.status == .seeOther)
            let refused = try await admin.post("/admin/quality", [("text", "sample: 0")])
            #expect(refused.status == .unprocessableContent)

            let quality = WebBrowser(server)
            try await quality.signIn(Staff.quality)
            #expect(
                try await quality.post("/quality/draw", [("period", "2026-04"), ("department", "after_sales")]).status
                    == .seeOther)
            let reader = try #require(try await server.services.store.user(username: Staff.quality))
            var checks = try await server.services.quality.checks(
                .month(4, of: 2026), department: Staff.afterSales, by: reader)
            #expect(checks.count == 2)
            #expect(checks.allSatisfy { closed.contains($0.number) })
            #expect(!checks.contains { $0.number == open.number }, "only closed complaints are drawn")
            // The sample is full: drawing again adds nothing.
            _ = try await quality.post("/quality/draw", [("period", "2026-04"), ("department", "after_sales")])
            checks = try await server.services.quality.checks(
                .month(4, of: 2026), department: Staff.afterSales, by: reader)
            #expect(checks.count == 2)

            let number = checks[0].number
            let bad = try await quality.post(
                "/quality/\(number)", [("score.first_contact", "120"), ("score.record", "")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("应为 0 到 100"))
            let scored = try await quality.post(
                "/quality/\(number)", [("score.first_contact", "90"), ("score.record", "70"), ("note", "记录缺回访录音")])
            #expect(scored.status == .seeOther)
            #expect(try await server.services.store.spotCheck(number: number)?.total == 80)

            let league = try await server.services.reports.league(
                .month(4, of: 2026), by: .department, scope: .company, ranking: .quality, viewer: reader)
            let afterSales = try #require(league.lines.first)
            #expect(afterSales.key == "after_sales" && afterSales.qualityScore == 80 && afterSales.qualityChecks == 1)
            #expect(try await quality.get("/quality?period=month&value=2026-04").contains("80"))
            let page = try await quality.get("/league?period=month&value=2026-04&rank=quality")
            #expect(page.contains("80.0 (1)"))

            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            #expect(try await handler.get("/quality").status == .forbidden)
            #expect(
                try await handler.post("/quality/draw", [("period", "2026-04"), ("department", "after_sales")]).status
                    == .forbidden)
        }
    }
}
