import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One AsyncHTTPClient for a phase, allowed as many keep-alive connections to the host as the phase has clients,
/// so each client effectively keeps its own connection.
struct HTTPSession: Sendable {
    let client: HTTPClient

    init(connections: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, 1))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends a request and reads the whole body; returns the status, headers and body.
    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil,
        timeout: TimeAmount = .seconds(120)
    ) async throws -> (status: Int, headers: HTTPHeaders, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), response.headers, Data(buffer.readableBytesView))
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}
