import CloseloopApp
import Hummingbird

/// Tells the instance's health recorder how long each request took to answer, for the health check's p99 (slow
/// pages). A streamed body (the live queue) counts until its head is ready, not for as long as it stays open.
struct LatencyRecording<Context: RequestContext>: RouterMiddleware {
    let health: HealthRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        // A request that fails becomes its problem answer further out; its time counts as well.
        defer { health.request(took: ContinuousClock.now - started) }
        return try await next(request, context)
    }
}
