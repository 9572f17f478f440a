import CloseloopServer
import CloseloopTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/metrics` (issue 16 item 7): Prometheus's text format, the process's own counts, and never to just anyone. The
/// router's test client has no peer address, so these requests are not from the loopback interface; a live server's
/// loopback peer is tested in Tests/CLI/test_serve.py.
@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    @Test("Without the metrics token a peer off the loopback interface is refused with metrics.forbidden")
    func refusedWithoutToken() async throws {
        try await withServer(.sqlite, metrics: MetricsAccess(token: "scrape-secret")) { server in
            for authorization in [nil, "Bearer wrong-secret", "scrape-secret", "Bearer \(server.token(Staff.admin))"] {
                var headers: HTTPFields = [:]
                if let authorization { headers[.authorization] = authorization }
                let answer = try await server.client.execute(uri: "/metrics", method: .get, headers: headers, body: nil)
                #expect(answer.status == .forbidden, "\(authorization ?? "no authorization")")
                #expect(answer.text.contains("\"metrics.forbidden\""))
            }
        }
        // With no token configured, no one off the loopback interface reads it at all.
        try await withServer(.sqlite) { server in
            let answer = try await server.client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer "], body: nil)
            #expect(answer.status == .forbidden)
        }
    }

    @Test(
        "With the token, /metrics counts intakes by channel and outcome and each route's requests and latency",
        arguments: DatabaseKind.available)
    func countsWhatHappened(kind: DatabaseKind) async throws {
        try await withServer(kind, metrics: MetricsAccess(token: "scrape-secret")) { server in
            let scrape: @Sendable () async throws -> String = {
                let answer = try await server.client.execute(
                    uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"], body: nil)
                #expect(answer.status == .ok)
                #expect(answer.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return answer.text
            }
            let created = #"closeloop_intakes_total{channel="phone",outcome="created"}"#
            let refused = #"closeloop_intakes_total{channel="phone",outcome="refused"}"#
            // The registry is the process's, shared with every other test: compare before and after.
            let before = Self.value(created, in: try await scrape()) ?? 0
            let refusedBefore = Self.value(refused, in: try await scrape()) ?? 0
            _ = try await server.createComplaint()
            // Well formed, but received in the future: the service refuses it.
            let future = try await server.send(
                .post, "/complaints", as: Staff.agent,
                json: TestServer.complaintFields(["receivedAt": "2031-01-01T09:00:00Z"]))
            #expect(future.status == .unprocessableContent)
            let after = try await scrape()
            #expect(Self.value(created, in: after).map { $0 >= before + 1 } == true)
            #expect(Self.value(refused, in: after).map { $0 >= refusedBefore + 1 } == true)
            #expect(after.contains(#"http_server_request_duration_bucket{http_route="/api/v1/complaints""#))
            #expect(after.contains("# TYPE closeloop_intakes_total counter"))
        }
    }

    /// The value of the sample whose name and labels are `series`.
    static func value(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
