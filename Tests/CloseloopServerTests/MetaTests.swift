import CloseloopTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The API document and the health check, both public.
@Suite("API document and health")
struct MetaTests {
    @Test("GET /api/v1/openapi.yaml serves the API document", arguments: DatabaseKind.available)
    func openAPIDocument(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let response = try await server.send(.get, "/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/CloseloopAPI/openapi.yaml")
            let expected = try String(contentsOf: source, encoding: .utf8)
            #expect(response.text == expected)
            #expect(response.text.hasPrefix("openapi: 3.1.0"))
            #expect(response.text.contains("operationId: createComplaint"))
        }
    }

    @Test("GET /api/v1/health reports the database in use", arguments: DatabaseKind.available)
    func health(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            struct Health: Decodable {
                var status: String
                var database: String
            }
            let health = try await server.send(.get, "/health").expect(.ok, Health.self)
            #expect(health.status == "ok")
            #expect(health.database == kind.rawValue)
        }
    }

    @Test("Unknown routes are 404 problems, departments need a token", arguments: DatabaseKind.available)
    func routes(kind: DatabaseKind) async throws {
        try await withServer(kind) { server in
            let missing = try await server.send(.get, "/no-such-route", as: Staff.agent)
            #expect(try missing.problem(.notFound).code == "route.not_found")
            let departments = try await server.send(.get, "/departments", as: Staff.handler)
            #expect(departments.status == .ok)
            #expect(departments.text.contains("售后服务部"))
            #expect(try await server.send(.get, "/departments").status == .unauthorized)
        }
    }
}
