import CloseloopApp
import Foundation
import HTTPTypes
import Hummingbird

/// A webhook source's signature, checked before anything else of the request is looked at (the API gate validates
/// the body only afterwards): the source is the caller, and a caller who cannot sign learns nothing, not even whether
/// the body was valid. The verified source and the exact bytes it signed go to the handler.
struct WebhookSignatureMiddleware<Context: RequestContext>: RouterMiddleware {
    let webhooks: WebhookIntake
    static var prefix: String { "/api/v1/intake/webhook/" }
    static var timestamp: HTTPField.Name { HTTPField.Name("X-Closeloop-Timestamp")! }
    static var signature: HTTPField.Name { HTTPField.Name("X-Closeloop-Signature")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix(Self.prefix), request.method == .post else { return try await next(request, context) }
        var request = request
        // BodyLimitMiddleware has already bounded and collected it.
        let buffer = try await request.collectBody(upTo: .max)
        let body = Data(buffer.readableBytesView)
        let source = try await webhooks.authenticate(
            source: String(path.dropFirst(Self.prefix.count)), timestamp: request.headers[Self.timestamp],
            signature: request.headers[Self.signature], body: body)
        return try await SignedWebhook.$current.withValue(SignedWebhook(source: source, body: body)) {
            try await next(request, context)
        }
    }
}

/// The webhook call being handled: its verified source and the exact body it signed.
struct SignedWebhook: Sendable {
    @TaskLocal static var current: SignedWebhook?

    var source: WebhookSettings.Source
    var body: Data
}
