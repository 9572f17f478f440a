import CloseloopAPI
import Foundation
import Yams

/// What the server reads from its own OpenAPI document at start: the JSON form it serves at `/api/v1/openapi.json`
/// and, per operation, who may call it and the schemas of its input, which `APIGateMiddleware` enforces (every
/// missing and every invalid field at once, where the generated decoder stops at the first).
public struct OpenAPIContract: Sendable {
    public let yaml: Data
    public let json: Data
    /// Every operation with its path template, who may call it and its input schemas, by the route key of its path
    /// (segment count and first segment), so finding a request's operation looks at one or two, not at forty.
    let operations: [String: [Operation]]
    let schema: RequestSchema

    /// One operation of the document, as the API gate needs it.
    struct Operation: Sendable {
        var id: String
        var method: String
        /// The path below `/api/v1`, split at `/`; `nil` stands for a `{parameter}`.
        var segments: [String?]
        /// Who may call it: nobody needs to sign in (`security: []`), any signed-in user, or holders of these roles
        /// (`x-closeloop-roles`; an empty list means any staff role).
        var access: Access
        var body: JSONValue?
        var query: [(name: String, schema: JSONValue?)]

        enum Access: Sendable {
            case everyone
            case signedIn
            case roles(Set<String>)
        }

        func matches(_ path: [Substring]) -> Bool {
            segments.count == path.count
                && zip(segments, path).allSatisfy { template, part in
                    template == nil ? !part.isEmpty : template! == part
                }
        }
    }

    public init() throws {
        guard let yaml = OpenAPIDocument.yaml() else { throw ContractError.documentMissing }
        guard let document = try Yams.load(yaml: String(decoding: yaml, as: UTF8.self)) as? [String: Any] else {
            throw ContractError.documentMalformed
        }
        self.yaml = yaml
        json = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        let whole = JSONValue(document)
        schema = RequestSchema(schemas: whole["components"]?["schemas"]?.object ?? [:])
        operations = Dictionary(grouping: Self.operations(in: whole)) {
            Self.routeKey($0.segments.count, $0.segments.first ?? nil)
        }
    }

    private static func operations(in document: JSONValue) -> [Operation] {
        let secured = !(document["security"]?.array?.isEmpty ?? true)
        var result: [Operation] = []
        for (path, item) in document["paths"]?.object ?? [:] {
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
            for (method, operation) in item.object ?? [:] {
                guard let id = operation["operationId"]?.string else { continue }
                let access: Operation.Access
                if let security = operation["security"]?.array, security.isEmpty || !secured {
                    access = .everyone
                } else if let roles = operation["x-closeloop-roles"]?.array {
                    access = .roles(Set(roles.compactMap(\.string)))
                } else if operation["x-closeloop-signed-in"] != nil {
                    access = .signedIn
                } else {
                    access = .roles([])
                }
                let query = (operation["parameters"]?.array ?? []).compactMap { parameter in
                    parameter["in"]?.string == "query"
                        ? parameter["name"]?.string.map { (name: $0, schema: parameter["schema"]) } : nil
                }
                result.append(
                    Operation(
                        id: id, method: method.uppercased(), segments: segments, access: access,
                        body: operation["requestBody"]?["content"]?["application/json"]?["schema"], query: query))
            }
        }
        return result
    }

    /// The operations whose path template matches `path` (below `/api/v1`), whatever their method.
    func operations(at path: String) -> [Operation] {
        let parts = Array(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
        guard let candidates = operations[Self.routeKey(parts.count, parts.first.map(String.init))] else { return [] }
        return candidates.filter { $0.matches(parts) }
    }

    /// Every path of the document starts with a fixed segment (`/complaints/{id}`, never `/{id}`), so the first
    /// segment and the count find a request's candidates.
    private static func routeKey(_ count: Int, _ first: String?) -> String { "\(count)/\(first ?? "{}")" }

    enum ContractError: Error {
        case documentMissing, documentMalformed
    }
}
