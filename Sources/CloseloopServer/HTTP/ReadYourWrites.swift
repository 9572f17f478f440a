import CloseloopApp
import CloseloopStore
import Hummingbird
import Synchronization

/// With a read replica (`serve --read-database`), the reads a replica may serve are sent to the primary for a caller
/// who wrote within the last `window` (`ReadRouting.ownWrites`): the replica may not yet hold what they just did,
/// and the next page they read must. Callers are told apart by their credential (API token or web session cookie),
/// kept only as a hash. Each instance remembers its own callers' writes; behind a load balancer, keep a client on
/// one instance (sticky sessions) for the guarantee to hold across instances.
struct ReadYourWrites<Context: RequestContext>: RouterMiddleware {
    let writers: RecentWriters

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let caller = Self.caller(of: request) else { return try await next(request, context) }
        let writes = ![.get, .head, .options].contains(request.method)
        let response = try await ReadRouting.$ownWrites.withValue(writes || writers.wroteRecently(caller)) {
            try await next(request, context)
        }
        if writes && response.status.code < 400 { writers.wrote(caller) }
        return response
    }

    /// The hash of the request's credential: its Authorization header or its web session cookie.
    static func caller(of request: Request) -> Int? {
        if let authorization = request.headers[.authorization] { return authorization.hashValue }
        return request.cookies[WebSessionService.cookieName].map { $0.value.hashValue }
    }
}

/// The callers (by credential hash) who wrote within the last `window`.
final class RecentWriters: Sendable {
    let window: Duration
    private let state = Mutex(State())

    private struct State {
        var writes: [Int: ContinuousClock.Instant] = [:]
        /// How many callers the map may hold before the expired are forgotten: twice what the last pruning left, so
        /// pruning costs a constant share of the writes, however many callers write at once.
        var pruneAbove = 1_000
    }

    init(window: Duration = .seconds(30)) { self.window = window }

    func wroteRecently(_ caller: Int) -> Bool {
        let now = ContinuousClock.now
        return state.withLock { $0.writes[caller].map { now - $0 < window } ?? false }
    }

    func wrote(_ caller: Int) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.writes[caller] = now
            guard state.writes.count > state.pruneAbove else { return }
            state.writes = state.writes.filter { now - $0.value < window }
            state.pruneAbove = max(1_000, 2 * state.writes.count)
        }
    }
}
