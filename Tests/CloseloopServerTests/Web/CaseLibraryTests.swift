@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Testing

/// The case library (案例库, SPEC §8): one case per complaint, a draft until quality publishes it without the
/// customer's personal data, then read and searched by every staff member.
@Suite("Case library")
struct CaseLibraryTests {
    static let writeUp: [String: any Sendable] = [
        "title": "安装后不制冷：缺氟", "tags": ["空调", "安装"],
        "cause": "安装时连接管喇叭口未扩好，导致缓慢漏氟。周女士来电 13800138001 反映。",
        "handling": "上门补焊并加氟，致电 zhou@example.com 回访确认。",
        "lesson": "安装验收须做保压测试。", "prevention": "安装单增加保压测试签字栏。",
    ]

    @Test(
        "Written once through the loop, edited as a draft, published without personal data, found by everyone",
        arguments: DatabaseKind.available)
    func lifecycle(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let closed = try await LoopOverHTTPTests.closedComplaint(server)
            #expect(try await server.complaint(closed.id, as: Staff.quality).actions.contains("write_case"))
            let written = try await server.perform("write-case", on: closed, as: Staff.quality, Self.writeUp)
            // One case per complaint: the action is no longer offered, and a second write is refused.
            #expect(!written.actions.contains("write_case"))
            let again = try await server.act("write-case", on: written, as: Staff.quality, Self.writeUp)
            #expect(try again.problem(.conflict).code == "action.wrong_state")

            let quality = WebBrowser(server)
            try await quality.signIn(Staff.quality)
            var page = try await quality.get("/cases/\(closed.number)")
            #expect(page.status == .ok)
            #expect(page.contains("草稿（待审核）"))
            #expect(page.inputValue("title") == "安装后不制冷：缺氟")

            // Other staff do not see a draft, in the list or by its address.
            let handler = WebBrowser(server)
            try await handler.signIn(Staff.handler)
            #expect(!(try await handler.get("/cases")).contains("安装后不制冷"))
            #expect(try await handler.get("/cases/\(closed.number)").status == .notFound)

            // The draft is edited in the library; every problem is named.
            let refused = try await quality.post(
                "/cases/\(closed.number)",
                [("title", ""), ("tags", "空调"), ("cause", "原因"), ("handling", ""), ("lesson", "教训")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.contains("请修正下面标出的问题"))
            let saved = try await quality.post(
                "/cases/\(closed.number)",
                [
                    ("title", "安装后不制冷：喇叭口漏氟"), ("tags", "空调、安装、漏氟"), ("cause", Self.writeUp["cause"] as! String),
                    ("handling", Self.writeUp["handling"] as! String), ("lesson", "安装验收须做保压测试。"), ("prevention", ""),
                ])
            #expect(saved.status == .seeOther)
            #expect(try await server.services.store.caseStudy(closed.number)?.tags == ["空调", "安装", "漏氟"])

            // Only quality publishes; publishing takes the customer's name, phone and email out.
            #expect(try await handler.post("/cases/\(closed.number)/publish", []).status == .forbidden)
            #expect(try await quality.post("/cases/\(closed.number)/publish", []).status == .seeOther)
            let published = try #require(try await server.services.store.caseStudy(closed.number))
            #expect(published.status == .published)
            for secret in ["周女士", "13800138001", "zhou@example.com"] {
                #expect(!published.cause.contains(secret) && !published.handling.contains(secret), "\(secret)")
            }
            #expect(published.cause.contains("〔客户〕") && published.cause.contains("〔电话〕"))

            // Now everyone reads it and finds it by a Chinese word, by category and by product.
            page = try await handler.get("/cases?q=%E4%BF%9D%E5%8E%8B")  // 保压
            #expect(page.contains("安装后不制冷：喇叭口漏氟"))
            #expect(!(try await handler.get("/cases?q=%E5%86%B0%E7%AE%B1")).contains("喇叭口漏氟"))  // 冰箱
            #expect(
                try await handler.get("/cases?product=%E5%8F%98%E9%A2%91%E7%A9%BA%E8%B0%83%20KF-35").contains("喇叭口漏氟"))
            let read = try await handler.get("/cases/\(closed.number)")
            #expect(read.status == .ok)
            #expect(read.contains("安装验收须做保压测试"))
            #expect(!read.contains("13800138001"))

            // Withdrawn, it is a draft again and leaves the library.
            #expect(try await quality.post("/cases/\(closed.number)/withdraw", []).status == .seeOther)
            #expect(!(try await handler.get("/cases")).contains("喇叭口漏氟"))
            let audit = try await server.services.store.auditEntries(limit: 20).map(\.action)
            #expect(audit.contains("case.publish") && audit.contains("case.withdraw") && audit.contains("case.edit"))
        }
    }

    @Test("A tag longer than twenty characters or an eleventh tag is refused at writing")
    func tagLimits() async throws {
        try await withServer(.sqlite) { server in
            let closed = try await LoopOverHTTPTests.closedComplaint(server)
            var fields = Self.writeUp
            fields["tags"] = (1...11).map { "标签\($0)" }
            let problem = try await server.act("write-case", on: closed, as: Staff.quality, fields)
                .problem(.unprocessableContent)
            #expect(problem.fields == ["tags"])
            fields["tags"] = [String(repeating: "长", count: 21)]
            let long = try await server.act("write-case", on: closed, as: Staff.quality, fields)
                .problem(.unprocessableContent)
            #expect(long.fields == ["tags[0]"])
        }
    }
}
