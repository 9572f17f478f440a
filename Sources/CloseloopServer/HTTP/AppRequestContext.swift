import Hummingbird
import NIOCore

/// The context of every request: Hummingbird's basic one with the peer's address, which decides who may read
/// `/metrics` (`MetricsEndpoint`).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
