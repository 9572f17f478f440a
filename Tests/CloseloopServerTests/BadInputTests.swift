import CloseloopApp
import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Bad input of every kind gets a 4xx with a stable code, and nothing is written.
@Suite("Bad input")
struct BadInputTests {
    /// Sends a create request with `body` and checks the problem, and that no complaint was written.
    private func refusedCreate(
        _ server: TestServer, body: ByteBuffer, contentType: String? = "application/json",
        status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProblemBody {
        let before = try await server.complaintCount()
        let response = try await server.send(
            .post, "/complaints", as: Staff.agent, body: body, contentType: contentType)
        let problem = try response.problem(status, sourceLocation: sourceLocation)
        #expect(try await server.complaintCount() == before, sourceLocation: sourceLocation)
        return problem
    }

    private func json(_ fields: [String: any Sendable]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: fields))
    }

    @Test("Blank required fields are all listed at once with 422", arguments: DatabaseKind.available)
    func blankFields(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let fields = TestServer.complaintFields([
                "customer": ["name": "  ", "phone": "", "email": ""] as [String: any Sendable],
                "subject": "", "description": " \n ",
            ])
            let problem = try await refusedCreate(server, body: try json(fields), status: .unprocessableContent)
            #expect(problem.code == "validation.failed")
            #expect(problem.fields == ["customer.name", "subject", "description", "customer.phone"])
            #expect(problem.errors?.first { $0.field == "subject" }?.code == "required")
            #expect(problem.errors?.first { $0.field == "customer.phone" }?.code == "contact_required")
        }
    }

    @Test("Absent required keys are all named at once and nothing is written", arguments: DatabaseKind.available)
    func absentKeys(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let problem = try await refusedCreate(
                server, body: ByteBuffer(string: #"{"customer":{"phone":"13800138001"}}"#), status: .badRequest)
            #expect(problem.code == "request.missing_fields")
            #expect(problem.fields == ["channel", "customer.name", "subject", "description"])
        }
    }

    @Test(
        "An invalid phone and an invalid email are both reported",
        arguments: DatabaseKind.available,
        [
            BadContact(phone: "12345", email: "not-an-email", fields: ["customer.phone", "customer.email"]),
            BadContact(phone: "138 0013 800a", email: "zhou@example.com", fields: ["customer.phone"]),
            BadContact(phone: "13800138001", email: "zhou@@example.com", fields: ["customer.email"]),
            BadContact(phone: "02012", email: "a b@example.com", fields: ["customer.phone", "customer.email"]),
        ])
    func invalidContact(kind: DatabaseKind, contact: BadContact) async throws {
        try await withServer(kind) { server in
            let fields = TestServer.complaintFields([
                "customer": ["name": "周女士", "phone": contact.phone, "email": contact.email] as [String: any Sendable]
            ])
            let problem = try await refusedCreate(server, body: try json(fields), status: .unprocessableContent)
            #expect(problem.code == "validation.failed")
            #expect(problem.fields == contact.fields)
            #expect(problem.errors?.allSatisfy { $0.code == "invalid" } == true)
        }
    }

    @Test(
        "Bodies that cannot be read are 400 request.malformed",
        arguments: DatabaseKind.available,
        [
            UnreadableBody("cut-off JSON", #"{"channel": "phone", "customer": "#),
            UnreadableBody("not JSON", "not json at all"),
            UnreadableBody(
                "a number for a string",
                #"{"channel":"phone","customer":{"name":7,"phone":"13800138001"},"subject":"s","description":"d"}"#),
            UnreadableBody("an array", "[1, 2, 3]"),
            UnreadableBody(
                "invalid UTF-8",
                bytes: Array(#"{"channel":"phone","customer":{"name":""#.utf8) + [0xC3, 0x28, 0xFF, 0xFE]
                    + Array(#"","phone":"13800138001"},"subject":"s","description":"d"}"#.utf8)),
        ])
    func unreadable(kind: DatabaseKind, body: UnreadableBody) async throws {
        try await withServer(kind) { server in
            let problem = try await refusedCreate(server, body: ByteBuffer(bytes: body.bytes), status: .badRequest)
            #expect(problem.code == "request.malformed")
        }
    }

    @Test("A value outside the document's enum is 422 naming the field", arguments: DatabaseKind.available)
    func outsideEnum(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            for (json, field) in [
                (
                    #"{"channel":"fax","customer":{"name":"周","phone":"13800138001"},"subject":"s","description":"d"}"#,
                    "channel"
                ),
                (
                    #"{"channel":"phone","priority":"P9","customer":{"name":"周","phone":"13800138001"},"subject":"s","description":"d"}"#,
                    "priority"
                ),
                (
                    #"{"channel":"phone","remedies":["refund","moon"],"customer":{"name":"周","phone":"13800138001"},"subject":"s","description":"d"}"#,
                    "remedies[1]"
                ),
            ] {
                let problem = try await refusedCreate(
                    server, body: ByteBuffer(bytes: Array(json.utf8)), status: .unprocessableContent)
                #expect(problem.code == "validation.failed")
                #expect(problem.fields == [field])
            }
            #expect(try await server.complaintCount() == 0)
        }
    }

    @Test("A body in another content type is 415", arguments: DatabaseKind.available)
    func wrongContentType(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let body = try json(TestServer.complaintFields())
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
                let problem = try await refusedCreate(
                    server, body: body, contentType: contentType, status: .unsupportedMediaType)
                #expect(problem.code == "request.unsupported_media_type", "\(contentType)")
            }
        }
    }

    @Test(
        "An oversize body is 413, with or without Content-Length",
        arguments: DatabaseKind.available, [true, false])
    func oversize(kind: DatabaseKind, withoutContentLength: Bool) async throws {
        var limits = AppServices.Limits()
        limits.json = 16 * 1024
        limits.upload = 64 * 1024
        try await withServer(kind, limits: limits, withoutContentLength: withoutContentLength) { server in
            let description = String(repeating: "空调不制冷。", count: 2_000)  // 36 KB of UTF-8
            let body = try json(TestServer.complaintFields(["description": description]))
            // With or without Content-Length (then the limit is met while the body is read), the answer is 413.
            let response = try await server.send(.post, "/complaints", as: Staff.agent, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try response.decode(ProblemBody.self).code == "request.too_large")
            let upload = try await server.send(
                .post, "/attachments?fileName=big.bin", as: Staff.agent,
                body: ByteBuffer(repeating: 0xAB, count: 65 * 1024), contentType: "application/octet-stream")
            #expect(upload.status == .contentTooLarge)
            #expect(try upload.decode(ProblemBody.self).code == "request.too_large")
            #expect(try await server.complaintCount() == 0)

            // Just under the limits passes.
            let small = try await server.send(
                .post, "/attachments?fileName=ok.bin", as: Staff.agent,
                body: ByteBuffer(repeating: 0xAB, count: 60 * 1024), contentType: "application/octet-stream")
            #expect(small.status == .created)
            _ = try await server.createComplaint()
        }
    }

    @Test("An action the state does not allow is 409 action.wrong_state", arguments: DatabaseKind.available)
    func wrongState(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.createComplaint()
            let cases: [(String, String, [String: any Sendable])] = [
                (
                    "assign", Staff.supervisor,
                    [
                        "category": "c", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                        "owner": Staff.agent,
                    ]
                ),
                ("close", Staff.supervisor, [:]),
                ("verify", Staff.agent, ["solved": true, "satisfied": true, "score": 5]),
                ("archive", Staff.quality, [:]),
            ]
            for (action, user, fields) in cases {
                let problem = try await server.act(action, on: complaint, as: user, fields).problem(.conflict)
                #expect(problem.code == "action.wrong_state", "\(action)")
            }
            let customer = try await server.track(
                ["number": complaint.number, "phone": "13800138001", "accepted": true], path: "/respond")
            #expect(try customer.problem(.conflict).code == "action.wrong_state")
            let after = try await server.complaint(complaint.id, as: Staff.agent)
            #expect(after.version == 1)
            #expect(after.state == "received")
        }
    }

    @Test(
        "A stale version is 409 complaint.version_conflict with the current version", arguments: DatabaseKind.available)
    func staleVersion(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let stale = try await server.createComplaint()
            let current = try await server.perform("add-note", on: stale, as: Staff.agent, ["text": "客户来电催促"])
            #expect(current.version == 2)
            let problem = try await server.act(
                "check-completeness", on: stale, as: Staff.otherAgent, ["complete": true]
            )
            .problem(.conflict)
            #expect(problem.code == "complaint.version_conflict")
            #expect(problem.currentVersion == 2)
            let after = try await server.complaint(stale.id, as: Staff.agent)
            #expect(after.version == 2)
            // A version from the future is just as stale.
            let ahead = try await server.act("add-note", on: stale, as: Staff.agent, ["text": "x", "version": 7])
            #expect(try ahead.problem(.conflict).currentVersion == 2)
        }
    }

    @Test("An unknown complaint is 404 for reads and actions", arguments: DatabaseKind.available)
    func unknownComplaint(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            for path in ["/complaints/no-such-id", "/complaints/260408999", "/complaints/no-such-id/history"] {
                let problem = try await server.send(.get, path, as: Staff.agent).problem(.notFound)
                #expect(problem.code == "complaint.not_found", "\(path)")
            }
            let action = try await server.send(
                .post, "/complaints/no-such-id/add-note", as: Staff.agent, json: ["version": 1, "text": "x"])
            #expect(try action.problem(.notFound).code == "complaint.not_found")
        }
    }

    @Test("Assigning to an unknown owner or department is 422 naming the field", arguments: DatabaseKind.available)
    func unknownAssignee(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.reaching("validated")
            let base: [String: any Sendable] = [
                "category": "after_sales", "priority": "P2", "severity": "dissatisfied", "department": "after_sales",
                "owner": Staff.agent,
            ]
            let cases: [([String: any Sendable], String, String)] = [
                (["owner": "ghost"], "owner", "unknown_user"),
                (["department": "marketing"], "department", "unknown_department"),
                (["handler": "ghost"], "handler", "unknown_user"),
            ]
            for (override, field, code) in cases {
                let problem = try await server.act(
                    "assign", on: complaint, as: Staff.supervisor, base.merging(override) { $1 }
                ).problem(.unprocessableContent)
                #expect(problem.code == "validation.failed")
                #expect(problem.fields == [field])
                #expect(problem.errors?.first?.code == code)
            }
            let unchanged = try await server.complaint(complaint.id, as: Staff.supervisor)
            #expect(unchanged.version == complaint.version)
            #expect(unchanged.state == "validated")
        }
    }

    @Test("Every unknown reference in one assignment is reported at once", arguments: DatabaseKind.available)
    func unknownAssigneesTogether(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let complaint = try await server.reaching("validated")
            let problem = try await server.act(
                "assign", on: complaint, as: Staff.supervisor,
                [
                    "category": "after_sales", "priority": "P2", "severity": "dissatisfied", "department": "marketing",
                    "owner": "ghost", "handler": "phantom",
                ]
            ).problem(.unprocessableContent)
            // STYLE.md §5: validation reports every failing field at once, so a form is fixed in one round trip.
            #expect(problem.fields == ["department", "owner", "handler"])
        }
    }

    @Test("A cursor this server did not issue is 400 cursor.invalid", arguments: DatabaseKind.available)
    func badCursor(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            for cursor in ["!!!", "bm90LWEtY3Vyc29y", "%E2%9C%93"] {
                let problem = try await server.send(.get, "/complaints?cursor=\(cursor)", as: Staff.agent)
                    .problem(.badRequest)
                #expect(problem.code == "cursor.invalid", "\(cursor)")
            }
        }
    }

    @Test("A receivedAt in the future is 422 on receivedAt", arguments: DatabaseKind.available)
    func futureReceivedAt(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let fields = TestServer.complaintFields([
                "receivedAt": Instants.text(Instants.wednesdayMorning.addingTimeInterval(60))
            ])
            let problem = try await refusedCreate(server, body: try json(fields), status: .unprocessableContent)
            #expect(problem.code == "validation.failed")
            #expect(problem.fields == ["receivedAt"])
            #expect(problem.errors?.first?.code == "in_future")
            // Now itself, and the past, are accepted.
            let past = try await server.createComplaint([
                "receivedAt": Instants.text(Instants.wednesdayMorning.addingTimeInterval(-3600))
            ])
            #expect(past.receivedAt == Instants.wednesdayMorning.addingTimeInterval(-3600))
        }
    }

    @Test("Problems speak English when asked and Chinese by default", arguments: DatabaseKind.available)
    func problemLanguage(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let fields = TestServer.complaintFields(["subject": ""])
            let chinese = try await server.send(.post, "/complaints", as: Staff.agent, json: fields)
                .problem(.unprocessableContent)
            #expect(chinese.errors?.first?.message == "必填项")
            let english = try await server.send(
                .post, "/complaints", as: Staff.agent, json: fields, headers: [.acceptLanguage: "en-GB,en;q=0.9"]
            ).problem(.unprocessableContent)
            #expect(english.errors?.first?.message == "is required")
            #expect(english.code == chinese.code)
        }
    }
}

/// A phone and an email, and the fields the API must name as invalid.
struct BadContact: Sendable, CustomTestStringConvertible {
    var phone: String
    var email: String
    var fields: Set<String>

    var testDescription: String { "\(phone) / \(email)" }
}

/// A request body the server cannot read as a new complaint.
struct UnreadableBody: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]

    init(_ name: String, _ text: String) {
        self.name = name
        bytes = Array(text.utf8)
    }

    init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    var testDescription: String { name }
}
