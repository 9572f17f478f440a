import CloseloopCore
import CloseloopServer
import CloseloopStore
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@_spi(Tools) @testable import CloseloopApp

/// Fixed instants the suites start their clocks at; no test reads the machine's clock in an assertion.
enum Instants {
    /// Wednesday 2026-04-08 10:00 in Beijing: a plain working day, well inside office hours.
    static let wednesdayMorning = instant("2026-04-08T10:00:00+08:00")

    /// Parses an ISO 8601 instant written in a test; a typo is a programming error.
    static func instant(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad instant \(text)") }
        return date
    }

    /// The form the API accepts and returns.
    static func text(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// The staff every server test can act as: one user per role, with the department scoping of SPEC §1.
enum Staff {
    static let password = "correct-horse-battery"

    static let admin = "admin"
    static let agent = "zhangwei"
    static let otherAgent = "chenxi"
    static let supervisor = "liqiang"
    static let handler = "wangfang"
    static let manager = "zhaolei"
    static let logisticsHandler = "huangmin"
    static let vicePresident = "chenjing"
    static let generalManager = "liuyang"
    static let quality = "sunli"
    /// A signed-in account that holds no role at all.
    static let roleless = "nobody"

    static let afterSales = DepartmentID("after_sales")
    static let logistics = DepartmentID("logistics")

    static let departments: [Department] = [
        Department(id: DepartmentID("call_centre"), name: LocalizedText(zh: "呼叫中心", en: "Call centre")),
        Department(id: afterSales, name: LocalizedText(zh: "售后服务部", en: "After-sales service")),
        Department(id: logistics, name: LocalizedText(zh: "物流部", en: "Logistics")),
    ]

    static let roster: [(username: String, name: String, department: String, grants: [RoleGrant])] = [
        (admin, "系统管理员", "call_centre", [RoleGrant(.administrator)]),
        (agent, "张伟", "call_centre", [RoleGrant(.agent)]),
        (otherAgent, "陈曦", "call_centre", [RoleGrant(.agent)]),
        (supervisor, "李强", "call_centre", [RoleGrant(.supervisor)]),
        (handler, "王芳", "after_sales", [RoleGrant(.handler, in: afterSales)]),
        (manager, "赵磊", "after_sales", [RoleGrant(.departmentManager, in: afterSales)]),
        (logisticsHandler, "黄敏", "logistics", [RoleGrant(.handler, in: logistics)]),
        (vicePresident, "陈静", "call_centre", [RoleGrant(.vicePresident)]),
        (generalManager, "刘洋", "call_centre", [RoleGrant(.generalManager)]),
        (quality, "孙丽", "call_centre", [RoleGrant(.quality)]),
        (roleless, "无角色", "call_centre", []),
    ]

    /// The display names of every staff member, which must never reach a customer.
    static var displayNames: [String] { roster.map(\.name) }
}

/// One running application over a scratch database, with a client that talks to its router and a never-expiring
/// token for every member of `Staff.roster`.
struct TestServer: Sendable {
    let kind: DatabaseKind
    let services: AppServices
    let time: ManualTimeSource
    let client: any TestClientProtocol
    let tokens: [String: String]
    /// The read replica reports and searches are read from, when the server was started with one.
    var replica: ReadReplica? = nil

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    /// The bearer token of a roster member.
    func token(_ username: String) -> String {
        guard let token = tokens[username] else { fatalError("no token for \(username)") }
        return token
    }

    /// Sends a request to `/api/v1` + `path`, as `user` (bearer token) unless a raw `authorization` is given.
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, as user: String? = nil, authorization: String? = nil,
        json: [String: any Sendable]? = nil, body: ByteBuffer? = nil, contentType: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let user { headers[.authorization] = "Bearer \(token(user))" }
        if let authorization { headers[.authorization] = authorization }
        var payload = body
        if let json {
            payload = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        }
        if let contentType { headers[.contentType] = contentType }
        return try await client.execute(uri: "/api/v1" + path, method: method, headers: headers, body: payload)
    }

    // MARK: - Complaints over HTTP

    /// The fields of a valid complaint; `overrides` replace top-level fields.
    static func complaintFields(_ overrides: [String: any Sendable] = [:]) -> [String: any Sendable] {
        var fields: [String: any Sendable] = [
            "channel": "phone",
            "customer": ["name": "周女士", "phone": "13800138001", "email": "zhou@example.com"] as [String: any Sendable],
            "reference": "SO-2026-04-0412",
            "product": "变频空调 KF-35",
            "subject": "新装空调不制冷",
            "description": "上周安装的空调，开机半小时房间温度没有变化，室外机有异响，希望尽快上门检查。",
            "remedies": ["repair"],
            "priority": "P2",
            "severity": "dissatisfied",
        ]
        fields.merge(overrides) { _, new in new }
        return fields
    }

    /// Records a complaint through the API and returns it; fails the test unless the answer is 201.
    func createComplaint(
        _ overrides: [String: any Sendable] = [:], as user: String = Staff.agent,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ComplaintBody {
        let response = try await send(.post, "/complaints", as: user, json: Self.complaintFields(overrides))
        return try response.expect(.created, ComplaintBody.self, sourceLocation: sourceLocation)
    }

    /// Performs `action` (the path segment, e.g. `check-completeness`) on `complaint` at its current version.
    @discardableResult
    func act(
        _ action: String, on complaint: ComplaintBody, as user: String, _ fields: [String: any Sendable] = [:]
    ) async throws -> TestResponse {
        var body = fields
        if body["version"] == nil { body["version"] = complaint.version }
        return try await send(.post, "/complaints/\(complaint.id)/\(action)", as: user, json: body)
    }

    /// Performs `action` and returns the complaint after it; fails the test unless the answer is 200.
    func perform(
        _ action: String, on complaint: ComplaintBody, as user: String, _ fields: [String: any Sendable] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ComplaintBody {
        try await act(action, on: complaint, as: user, fields)
            .expect(.ok, ComplaintBody.self, sourceLocation: sourceLocation)
    }

    /// The complaint as `user` sees it.
    func complaint(_ id: String, as user: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> ComplaintBody
    {
        try await send(.get, "/complaints/\(id)", as: user).expect(
            .ok, ComplaintBody.self, sourceLocation: sourceLocation)
    }

    /// A customer's tracking call (`/track`, `/track/respond` or `/track/confirm`).
    func track(
        _ fields: [String: any Sendable], path: String = "", language: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let language { headers[.acceptLanguage] = language }
        return try await send(.post, "/track" + path, json: fields, headers: headers)
    }

    // MARK: - Reading the store directly

    /// How many complaints the store holds, read behind the API's back.
    func complaintCount() async throws -> Int {
        var query = ComplaintQuery()
        query.limit = 200
        var count = 0
        while true {
            let page = try await services.store.list(query)
            count += page.records.count
            guard let next = page.nextCursor else { return count }
            query.cursor = next
        }
    }

    /// The domain's view of a roster member, for calling services directly.
    func member(_ username: String) async throws -> StaffMember {
        try #require(try await services.store.user(username: username)).staffMember
    }
}

/// Runs `body` against a fresh application over a fresh database of `kind`, with the time source set to `start`.
/// The database is always shut down and removed afterwards, whether `body` succeeded or not.
func withServer(
    _ kind: DatabaseKind, at start: Date = Instants.wednesdayMorning, limits: AppServices.Limits = .init(),
    withoutContentLength: Bool = false, metrics: MetricsAccess = MetricsAccess(), readReplica: Bool = false,
    _ body: @Sendable (TestServer) async throws -> Void
) async throws {
    let scratch = try await ScratchDatabase.make(kind)
    var replica: ReadReplica?
    do {
        var database = scratch.database
        if readReplica {
            let copy = try await ReadReplica.open(copyOf: try #require(scratch.postgresName))
            replica = copy
            database = ReplicatedDatabase(primary: scratch.database, replica: copy.database)
        }
        let time = ManualTimeSource(start)
        let services = AppServices(
            database: database, dataDirectory: scratch.dataDirectory, time: time,
            passwords: Passwords(cost: 4), limits: limits)
        try await services.prepare()
        let tokens = try await seedStaff(services)
        let router = try buildRouter(services: services, metrics: metrics)
        let test: @Sendable (any TestClientProtocol) async throws -> Void = { [replica] client in
            try await body(
                TestServer(
                    kind: kind, services: services, time: time, client: client, tokens: tokens, replica: replica))
        }
        if withoutContentLength {
            try await Application(responder: ContentLengthStripper(inner: router.buildResponder())).test(.router, test)
        } else {
            try await Application(router: router).test(.router, test)
        }
        await replica?.shutdown()
        await scratch.dispose()
    } catch {
        await replica?.shutdown()
        await scratch.dispose()
        throw error
    }
}

/// Departments and the roster, each user with a token that never expires (so moving the clock never signs out).
private func seedStaff(_ services: AppServices) async throws -> [String: String] {
    for department in Staff.departments { try await services.store.saveDepartment(department) }
    let hash = services.passwords.hash(Staff.password)
    var tokens: [String: String] = [:]
    for user in Staff.roster {
        try await services.store.createUser(
            UserAccount(
                id: UserID(user.username), username: user.username, displayName: user.name, passwordHash: hash,
                department: DepartmentID(user.department), grants: user.grants, language: .zhHans, active: true,
                createdAt: services.time.now()))
        tokens[user.username] = try await services.tokens.issue(
            for: UserID(user.username), name: "test", lifetime: nil
        ).token
    }
    return tokens
}

/// Forwards to the application's responder with the `Content-Length` header removed, as a client streaming a
/// chunked body would send it (the router test client always adds the header).
struct ContentLengthStripper<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    typealias Context = AppRequestContext
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        var head = request.head
        head.headerFields[.contentLength] = nil
        return try await inner.respond(to: Request(head: head, body: request.body), context: context)
    }
}
