@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The open and recent complaints that read most like one complaint (issue 14): Chinese without spaces and English
/// alike, best first with a score, never the complaint itself, closed ones only while recent; on the complaint page
/// and in the API.
@Suite("Similar complaints")
struct SimilarComplaintTests {
    struct SimilarBody: Decodable {
        struct Match: Decodable {
            var number: String
            var score: Double
        }
        var complaints: [Match]
    }

    static func file(_ server: TestServer, _ subject: String, _ description: String) async throws -> ComplaintBody {
        try await server.createComplaint(["subject": subject, "description": description])
    }

    @Test(
        "The same cause ranks first, in Chinese and in English; the complaint itself never",
        arguments: DatabaseKind.available)
    func ranking(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let leak = try await Self.file(server, "热水器漏水", "新装的热水器底部一直漏水，地板都泡坏了")
            let leakAgain = try await Self.file(server, "热水器又漏水", "热水器漏水两次了，售后说是安装问题")
            let late = try await Self.file(server, "快递没到", "快递五天了还没送到，物流一直不更新")
            let refund = try await Self.file(
                server, "Refund never arrived", "I returned the blender three weeks ago and the refund never arrived")
            let refundAgain = try await Self.file(
                server, "Still no refund", "Refund for my returned blender is still missing after a month")

            let similar = server.services.similar
            let toLeak = try await similar.similar(
                to: try #require(try await server.services.complaints.record(id: ComplaintID(leak.id))).complaint)
            #expect(toLeak.first?.number == leakAgain.number)
            #expect(!toLeak.contains { $0.number == leak.number })
            #expect(!toLeak.contains { $0.number == late.number }, "a parcel shares no cause with a leak")
            #expect(toLeak.allSatisfy { $0.score >= SimilarComplaints.minimumScore && $0.score <= 1 })

            let toRefund = try await similar.similar(toText: "refund for returned blender missing")
            #expect(Set(toRefund.prefix(2).map(\.number)) == [refund.number, refundAgain.number])

            let api = try await server.send(.get, "/complaints/\(leak.number)/similar", as: Staff.supervisor)
                .expect(.ok, SimilarBody.self)
            #expect(api.complaints.first?.number == leakAgain.number && (api.complaints.first?.score ?? 0) > 0.15)

            let staff = WebBrowser(server)
            try await staff.signIn(Staff.supervisor)
            let page = try await staff.get("/complaints/\(leak.number)")
            #expect(page.contains("相似投诉") && page.contains("/complaints/\(leakAgain.number)"))
        }
    }

    @Test("An open complaint counts however long ago it was received")
    func window() async throws {
        try await withServer(.sqlite) { server in
            let old = try await server.reaching("investigating", ["subject": "空调不制冷", "description": "空调不制冷，外机不转"])
            server.time.advance(by: Double(SimilarComplaints.recentDays + 5) * 86_400)
            let recent = try await Self.file(server, "空调又不制冷", "空调不制冷，外机也不转了")
            let matches = try await server.services.similar.similar(toText: "空调不制冷 外机不转")
            #expect(Set(matches.map(\.number)) == [old.number, recent.number], "an open complaint is never too old")
        }
    }

    struct CreatedWithSimilar: Decodable {
        var number: String
        var similar: [SimilarBody.Match]?
    }

    @Test("Asked for at intake, the answer lists the complaints alike; not asked, the intake does not look")
    func atIntake() async throws {
        try await withServer(.sqlite) { server in
            let leak = try await Self.file(server, "热水器漏水", "新装的热水器底部一直漏水，地板都泡坏了")
            var fields = TestServer.complaintFields()
            fields["subject"] = "热水器也漏水"
            fields["description"] = "热水器底部漏水，地板泡坏了"
            let asked = try await server.send(.post, "/complaints?includeSimilar=true", as: Staff.agent, json: fields)
                .expect(.created, CreatedWithSimilar.self)
            #expect(asked.similar?.first?.number == leak.number)
            let plain = try await server.send(.post, "/complaints", as: Staff.agent, json: fields)
                .expect(.created, CreatedWithSimilar.self)
            #expect(plain.similar == nil)
        }
    }
}
