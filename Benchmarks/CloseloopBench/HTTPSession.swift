import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The load generator's HTTP/1.1 client: keep-alive connections on NIO with nothing between the socket and the
/// request but NIO's HTTP codec, each used by one request at a time and kept for the next.
///
/// The generator runs on the same two cores as the server it measures, so every microsecond it spends is taken from
/// the server. AsyncHTTPClient, its first client, runs a connection pool, request state machines and streamed bodies
/// for every request; this client does only what a benchmark needs (BENCHMARKS.md compares the two).
final class HTTPSession: Sendable {
    typealias Answer = (status: Int, headers: HTTPHeaders, body: Data)

    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Idle keep-alive connections by "host:port".
    private let idle = Mutex<[String: [HTTPConnection]]>([:])

    /// Each request holds a connection while it runs and gives it back after, so a phase opens as many
    /// connections as it has clients.
    init() {}

    /// Sends a request and reads the whole answer.
    func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil,
        timeout: TimeAmount = .seconds(120)
    ) async throws -> Answer {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw BenchError.failed("not an http URL: \(url)")
        }
        let port = components.port ?? 80
        let target = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let path = components.percentEncodedQuery.map { "\(target)?\($0)" } ?? target
        let key = "\(host):\(port)"
        let connection: HTTPConnection
        if let reused = idle.withLock({ $0[key]?.popLast() }) {
            connection = reused
        } else {
            connection = try await HTTPConnection.connect(host: host, port: port, group: group)
        }
        do {
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "host", value: key)
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            if let body { head.headers.add(name: "content-length", value: String(body.count)) }
            let answer = try await connection.exchange(head, body: body.map { ByteBuffer(bytes: $0) }, timeout: timeout)
            if answer.keepAlive { give(connection, to: key) } else { connection.close() }
            return (answer.status, answer.headers, answer.body)
        } catch {
            connection.close()
            throw error
        }
    }

    func shutdown() async {
        let connections = idle.withLock { idle in
            defer { idle = [:] }
            return idle.values.flatMap { $0 }
        }
        for connection in connections { connection.close() }
    }

    private func give(_ connection: HTTPConnection, to key: String) {
        idle.withLock { $0[key, default: []].append(connection) }
    }
}

/// One keep-alive connection and the handler that collects each answer.
final class HTTPConnection: Sendable {
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var keepAlive: Bool
    }

    private let channel: any Channel
    private let collector: NIOLoopBound<AnswerCollector>

    private init(channel: any Channel, collector: NIOLoopBound<AnswerCollector>) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> HTTPConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(AnswerCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.pipeline.handler(type: AnswerCollector.self).map {
            NIOLoopBound($0, eventLoop: channel.eventLoop)
        }.get()
        return HTTPConnection(channel: channel, collector: collector)
    }

    /// Writes one request and waits for its whole answer.
    func exchange(_ head: HTTPRequestHead, body: ByteBuffer?, timeout: TimeAmount) async throws -> Answer {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: Answer.self)
        let channel = channel
        let collector = collector
        loop.execute {
            collector.value.expect(promise)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        let deadline = loop.scheduleTask(in: timeout) {
            promise.fail(BenchError.failed("no answer within \(timeout.nanoseconds / 1_000_000_000) s"))
        }
        defer { deadline.cancel() }
        return try await promise.futureResult.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Collects the answer to the request in flight and completes its promise.
final class AnswerCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var pending: EventLoopPromise<HTTPConnection.Answer>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    func expect(_ promise: EventLoopPromise<HTTPConnection.Answer>) {
        pending = promise
        head = nil
        body.clear()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let responseHead): head = responseHead
        case .body(var part): body.writeBuffer(&part)
        case .end:
            guard let head, let promise = pending else { return }
            pending = nil
            promise.succeed(
                .init(
                    status: Int(head.status.code), headers: head.headers, body: Data(body.readableBytesView),
                    keepAlive: head.isKeepAlive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.fail(BenchError.failed("the server closed the connection"))
        pending = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending?.fail(error)
        pending = nil
        context.close(promise: nil)
    }
}
