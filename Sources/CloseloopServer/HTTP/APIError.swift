import CloseloopApp
import CloseloopCore

/// Refusals that belong to HTTP rather than to the domain or the store.
public enum APIError: Error, Sendable, Equatable {
    case unauthenticated
    case forbidden
    /// `/metrics` asked from off the loopback interface without the metrics token.
    case metricsForbidden
    case notFound(what: String)
    case badRequest(code: String, message: String)
    case invalid([FieldIssue])
    case badCredentials
    case rateLimited
    /// Required JSON fields absent from the body, all of them.
    case missingFields([String])
}
