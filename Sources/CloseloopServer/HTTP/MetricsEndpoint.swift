import Crypto
import Foundation
import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// Who may read `/metrics`: a peer on the loopback interface always (a Prometheus or agent beside the server), anyone
/// else only with `Authorization: Bearer <token>` when a token is configured (`serve --metrics-token`).
public struct MetricsAccess: Sendable {
    public var token: String?

    public init(token: String? = nil) {
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    func allows(peer: SocketAddress?, authorization: String?) -> Bool {
        if let peer, Self.isLoopback(peer) { return true }
        guard let token, let authorization, authorization.hasPrefix("Bearer ") else { return false }
        // Compared as digests, so the time taken says nothing about how much of the token was right.
        return SHA256.hash(data: Data(authorization.dropFirst("Bearer ".count).utf8))
            == SHA256.hash(data: Data(token.utf8))
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4: address.ipAddress?.hasPrefix("127.") ?? false
        case .v6: address.ipAddress == "::1" || address.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket: true
        }
    }
}

/// The process's metrics registry, which swift-metrics reports into once bootstrapped (once per process: tests build
/// many servers in one).
public enum ServerMetrics {
    public static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    /// Routes swift-metrics to the registry; call before the services that record are made.
    public static func bootstrap() { _ = bootstrapped }
}

/// Answers `GET /metrics` in Prometheus's text format before any other middleware (a scraper's token is not an API
/// token), to the peers `MetricsAccess` allows.
struct MetricsEndpoint<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let access: MetricsAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path == "/metrics", request.method == .get || request.method == .head else {
            return try await next(request, context)
        }
        guard access.allows(peer: context.remoteAddress, authorization: request.headers[.authorization]) else {
            throw APIError.metricsForbidden
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: ServerMetrics.registry.emitToBuffer())))
    }
}
