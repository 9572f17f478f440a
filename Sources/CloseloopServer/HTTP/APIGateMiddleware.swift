import CloseloopCore
import CloseloopStore
import Foundation
import HTTPTypes
import Hummingbird

/// The API's front door, in the order that reveals nothing to a stranger: which operation is asked for (an unknown
/// method on a known path is 405), then who is calling (401) and whether their roles allow the operation (403), and
/// only then whether the input is valid (every limit the OpenAPI document states, all fields at once). Nothing is
/// looked up or validated for a caller who may not call, so an unauthenticated request cannot probe which users or
/// departments exist. Runs after `AuthenticationMiddleware` (which resolved the token) and `BodyLimitMiddleware`.
struct APIGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let contract: OpenAPIContract
    static var prefix: String { "/api/v1" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard path.hasPrefix(Self.prefix + "/") else { return try await next(request, context) }
        let candidates = contract.operations(at: String(path.dropFirst(Self.prefix.count)))
        // The document itself and unknown paths are the router's to answer.
        guard !candidates.isEmpty else { return try await next(request, context) }
        let method = request.method == .head ? "GET" : request.method.rawValue
        guard let operation = candidates.first(where: { $0.method == method }) else {
            throw MethodNotAllowed(allowed: candidates.map(\.method))
        }
        try authorize(operation)
        var findings = RequestSchema.Findings()
        checkQuery(request, operation, into: &findings)
        if let schema = operation.body, let buffer = try? await request.body.collect(upTo: .max),
            buffer.readableBytes > 0,
            let body = try? JSONSerialization.jsonObject(
                with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
        {
            contract.schema.check(body, against: schema, at: "", into: &findings)
        }
        if !findings.missing.isEmpty { throw APIError.missingFields(findings.missing) }
        if !findings.issues.isEmpty { throw DomainError.validation(findings.issues) }
        return try await next(request, context)
    }

    private func authorize(_ operation: OpenAPIContract.Operation) throws {
        switch operation.access {
        case .everyone:
            return
        case .signedIn:
            _ = try Identity.requireUser()
        case .roles(let roles):
            let user = try Identity.requireUser()
            let held = Set(user.grants.map(\.role.rawValue))
            guard roles.isEmpty ? !held.isEmpty : !held.isDisjoint(with: roles) else { throw APIError.forbidden }
        }
    }

    private func checkQuery(
        _ request: Request, _ operation: OpenAPIContract.Operation, into findings: inout RequestSchema.Findings
    ) {
        let parameters = request.uri.queryParameters
        for (name, schema) in operation.query {
            let values: [String] = parameters.getAll(name).map { String($0) }
            guard !values.isEmpty, let schema = contract.schema.resolve(schema) else { continue }
            switch schema["type"]?.string {
            case "array":
                contract.schema.check(values, against: schema, at: name, into: &findings)
            case "integer", "number":
                guard let number = Double(values[0]) else {
                    findings.issues.append(.invalid(name, zh: "须为数字", en: "must be a number"))
                    continue
                }
                contract.schema.check(NSNumber(value: number), against: schema, at: name, into: &findings)
            case "boolean":
                if !["true", "false"].contains(values[0]) {
                    findings.issues.append(.invalid(name, zh: "须为 true 或 false", en: "must be true or false"))
                }
            default:
                contract.schema.check(values[0], against: schema, at: name, into: &findings)
            }
        }
    }
}

/// A method the path does not offer: 405 with the methods it does.
struct MethodNotAllowed: Error, HTTPResponseError {
    var allowed: [String]

    var status: HTTPResponse.Status { .methodNotAllowed }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let language = Language.preferred(fromAcceptLanguage: request.headers[.acceptLanguage])
        var response = Problem(
            status: .methodNotAllowed, code: "request.method_not_allowed",
            detail: LocalizedText(zh: "此地址不支持该请求方法", en: "This address does not accept that method")
                .text(in: language)
        ).response()
        response.headers[.allow] = Set(allowed + (allowed.contains("GET") ? ["HEAD"] : [])).sorted().joined(
            separator: ", ")
        return response
    }
}
