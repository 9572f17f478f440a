import CloseloopAPI
import Foundation
import Yams

/// What the server reads from its own OpenAPI document at start: the JSON form it serves at `/api/v1/openapi.json`
/// and, per operation, the request fields the document requires, so a body missing several of them is told about all
/// of them at once (the generated decoder stops at the first).
public struct OpenAPIContract: Sendable {
    public let yaml: Data
    public let json: Data
    /// Dotted field paths (`customer.name`) the request body of each operation must carry, by operation id.
    public let requiredFields: [String: [String]]
    /// Every operation with its path template, who may call it and its input schemas.
    let operations: [Operation]
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
        requiredFields = Self.requiredFields(in: document)
        let whole = JSONValue(document)
        schema = RequestSchema(schemas: whole["components"]?["schemas"]?.object ?? [:])
        operations = Self.operations(in: whole)
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
                    access = roles.isEmpty ? .roles([]) : .roles(Set(roles.compactMap(\.string)))
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
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return operations.filter { $0.matches(Array(parts)) }
    }

    enum ContractError: Error {
        case documentMissing, documentMalformed
    }

    private static func requiredFields(in document: [String: Any]) -> [String: [String]] {
        let schemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any]) ?? [:]
        func resolve(_ schema: Any?) -> [String: Any]? {
            guard let schema = schema as? [String: Any] else { return nil }
            if let reference = schema["$ref"] as? String {
                return schemas[String(reference.split(separator: "/").last ?? "")] as? [String: Any]
            }
            return schema
        }
        func required(_ schema: [String: Any]?, prefix: String, depth: Int) -> [String] {
            guard let schema, depth < 3 else { return [] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            return (schema["required"] as? [String] ?? []).flatMap { name -> [String] in
                let path = prefix + name
                return [path] + required(resolve(properties[name]), prefix: path + ".", depth: depth + 1)
            }
        }
        var result: [String: [String]] = [:]
        for case let operations as [String: Any] in (document["paths"] as? [String: Any] ?? [:]).values {
            for case let operation as [String: Any] in operations.values {
                guard let id = operation["operationId"] as? String,
                    let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any],
                    let json = body["application/json"] as? [String: Any]
                else { continue }
                result[id] = required(resolve(json["schema"]), prefix: "", depth: 0)
            }
        }
        return result
    }

    /// The required fields of `operationID` that `body` (JSON) lacks, in document order.
    public func missingFields(of operationID: String, in body: Data) -> [String] {
        guard let paths = requiredFields[operationID],
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        else { return [] }
        return paths.filter { path in
            var current: Any? = object
            for key in path.split(separator: ".") {
                guard let container = current as? [String: Any] else {
                    // The parent is itself missing and already reported.
                    return false
                }
                current = container[String(key)]
            }
            return current == nil || current is NSNull
        }
    }
}
