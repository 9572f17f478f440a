@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// Mass incidents over the API (issue 14, item 1): opened by a supervisor and reported to management, the cause
/// handled once and applied through each complaint's own loop, each customer answering for themselves, and closing
/// the incident closing no complaint.
@Suite("Mass incidents")
struct IncidentTests {
    struct OutcomeBody: Decodable {
        var number: String
        var done: [String]
        var state: String
        var problem: String?
    }

    struct IncidentBody: Decodable {
        var number: String
        var title: String
        var severity: String
        var state: String
        var version: Int
    }

    struct ResultBody: Decodable {
        var incident: IncidentBody
        var outcomes: [OutcomeBody]
    }

    struct DetailBody: Decodable {
        struct Member: Decodable {
            var number: String
            var state: String
            var severity: String
        }

        var incident: IncidentBody
        var complaints: [Member]
    }

    /// Three customers about the same batch of air conditioners, each with their own phone and name.
    static func customers(_ server: TestServer) async throws -> [ComplaintBody] {
        var created: [ComplaintBody] = []
        for (index, name) in ["周女士", "吴先生", "郑女士"].enumerated() {
            server.time.advance(by: 300)
            created.append(
                try await server.createComplaint([
                    "customer": ["name": name, "phone": "1380013800\(index + 2)"] as [String: any Sendable]
                ]))
        }
        return created
    }

    static let details: [String: any Sendable] = [
        "title": "KF-35 批次空调不制冷", "cause": "压缩机批次缺陷", "category": "quality", "severity": "major",
        "department": "after_sales", "owner": Staff.agent, "handler": Staff.handler,
    ]

    @Test(
        "Opened, handled once, answered by each customer, closed without closing their complaints",
        arguments: DatabaseKind.available)
    func handledOnce(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            try await server.services.store.saveNotificationTarget(
                .init(owner: .user(UserID(Staff.generalManager)), channel: "email", address: "gm@example.com"))
            let members = try await Self.customers(server)
            var body = Self.details
            body["complaints"] = members.map(\.number) + ["999999999"]
            let opened = try await server.send(.post, "/incidents", as: Staff.supervisor, json: body)
                .expect(.created, ResultBody.self)
            let number = opened.incident.number
            #expect(number.hasPrefix("INC-2026-"))
            #expect(opened.outcomes.filter { $0.problem == nil }.map(\.number) == members.map(\.number))
            #expect(opened.outcomes.last?.problem != nil)
            // Reported to management once, as an incident, not once per complaint made major.
            let reports = try await server.services.store.outboxMessages(status: nil, limit: 100)
                .filter { $0.recipient == "gm@example.com" }
            #expect(reports.map(\.topic) == ["report.incident"])
            #expect(reports.first?.subject.contains(number) == true)
            for member in members {
                let complaint = try await server.complaint(member.id, as: Staff.supervisor)
                #expect(complaint.incident == number && complaint.severity == "major")
            }

            // Accept: completeness, validity and assignment on each, by the supervisor.
            var version = opened.incident.version
            let accepted = try await server.send(
                .post, "/incidents/\(number)/steps/accept", as: Staff.supervisor, json: ["version": version]
            ).expect(.ok, ResultBody.self)
            #expect(accepted.outcomes.allSatisfy { $0.state == "investigating" && $0.problem == nil })
            #expect(accepted.outcomes.first?.done == ["check_completeness", "decide_validity", "assign"])
            version = accepted.incident.version

            // A stale version is refused; the handler then proposes the one solution to all.
            let stale = try await server.send(
                .post, "/incidents/\(number)/steps/result", as: Staff.handler,
                json: ["version": 1, "result": "已更换"])
            #expect(try stale.problem(.conflict).code == "incident.version_conflict")
            let proposal: [String: any Sendable] = [
                "version": version,
                "analysis": ["problemType": "批次质量", "rootCause": "supplier", "findings": "压缩机批次缺陷"]
                    as [String: any Sendable],
                "solution": ["types": ["apology", "replacement"], "message": "{customer}您好，投诉 {number}：免费更换压缩机。"]
                    as [String: any Sendable],
            ]
            let proposed = try await server.send(
                .post, "/incidents/\(number)/steps/propose", as: Staff.handler, json: proposal
            ).expect(.ok, ResultBody.self)
            #expect(proposed.outcomes.allSatisfy { $0.state == "proposed" })
            version = proposed.incident.version
            let first = try await server.complaint(members[0].id, as: Staff.handler)
            #expect(first.proposal?.description == "周女士您好，投诉 \(members[0].number)：免费更换压缩机。")

            // Each customer answers for themselves: two agree, one does not.
            for (index, member) in members.enumerated() {
                let current = try await server.complaint(member.id, as: Staff.agent)
                let answer: [String: any Sendable] =
                    index < 2 ? ["accepted": true] : ["accepted": false, "comment": "要求退货"]
                _ = try await server.perform("respond-to-proposal", on: current, as: Staff.agent, answer)
            }
            let result = try await server.send(
                .post, "/incidents/\(number)/steps/result", as: Staff.handler,
                json: ["version": version, "result": "{客户}您好，单号 {单号} 已更换压缩机。"]
            ).expect(.ok, ResultBody.self)
            #expect(result.outcomes.map(\.state) == ["verifying", "verifying", "investigating"])
            #expect(result.outcomes[2].done.isEmpty && result.outcomes[2].problem != nil)

            // Closing the incident closes none of them: each waits for its own customer.
            let closed = try await server.send(
                .post, "/incidents/\(number)/close", as: Staff.supervisor,
                json: ["version": result.incident.version, "note": "批次已召回"]
            ).expect(.ok, IncidentBody.self)
            #expect(closed.state == "closed")
            let detail = try await server.send(.get, "/incidents/\(number)", as: Staff.agent)
                .expect(.ok, DetailBody.self)
            #expect(detail.complaints.map(\.state) == ["verifying", "verifying", "investigating"])
            let refused = try await server.send(
                .post, "/complaints/\(members[0].id)/link-incident", as: Staff.agent,
                json: [
                    "version": try await server.complaint(members[0].id, as: Staff.agent).version, "incident": number,
                ])
            #expect(try refused.problem(.unprocessableContent).errors?.first?.field == "incident")
        }
    }

    @Test("Only supervisors, quality and management open incidents; a bad one is refused field by field")
    func rightsAndValidation() async throws {
        try await withServer(.sqlite) { server in
            let byAgent = try await server.send(.post, "/incidents", as: Staff.agent, json: Self.details)
            #expect(try byAgent.problem(.forbidden).code == "auth.forbidden")
            var bad = Self.details
            bad["title"] = " "
            bad["severity"] = "dissatisfied"
            bad["department"] = "nowhere"
            let refused = try await server.send(.post, "/incidents", as: Staff.quality, json: bad)
            let fields = Set(try refused.problem(.unprocessableContent).errors?.map(\.field) ?? [])
            #expect(fields == ["title", "severity", "department"])
            let missing = try await server.send(.get, "/incidents/INC-2026-0999", as: Staff.agent)
            #expect(try missing.problem(.notFound).code == "incident.not_found")
        }
    }

    @Test("Accepting needs the incident's category, department and owner first")
    func acceptNeedsAssignment() async throws {
        try await withServer(.sqlite) { server in
            let members = try await Self.customers(server)
            let opened = try await server.send(
                .post, "/incidents", as: Staff.supervisor,
                json: ["title": "停电", "complaints": members.map(\.number)]
            ).expect(.created, ResultBody.self)
            let refused = try await server.send(
                .post, "/incidents/\(opened.incident.number)/steps/accept", as: Staff.supervisor,
                json: ["version": opened.incident.version])
            let fields = Set(try refused.problem(.unprocessableContent).errors?.map(\.field) ?? [])
            #expect(fields == ["category", "department", "owner"])
            // Nothing was done to any complaint.
            for member in members {
                #expect(try await server.complaint(member.id, as: Staff.agent).state == "received")
            }
        }
    }
}
