import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// An RFC 9457 problem document with a stable `code` and a message in the caller's language.
struct Problem: Encodable, Sendable {
    struct FieldError: Encodable, Sendable {
        var field: String
        var code: String
        var message: String
    }

    var type: String
    var title: String
    var status: Int
    var code: String
    var detail: String
    var errors: [FieldError]?
    var currentVersion: Int?

    init(
        status: HTTPResponse.Status, code: String, detail: String, errors: [FieldError]? = nil,
        currentVersion: Int? = nil
    ) {
        self.type = "https://closeloop.invalid/problems/\(code)"
        self.title = status.reasonPhrase
        self.status = status.code
        self.code = code
        self.detail = detail
        self.errors = errors
        self.currentVersion = currentVersion
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/problem+json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem {
    /// The problem for any error a request can end in; unknown errors become a 500 that reveals nothing.
    static func from(_ error: any Error, language: Language) -> Problem? {
        switch error {
        case let error as DomainError: return domain(error, language: language)
        case let error as StoreError: return store(error, language: language)
        case let error as APIError: return api(error, language: language)
        case is AccessDenied: return api(.forbidden, language: language)
        case WebhookRefusal.badSignature:
            return Problem(
                status: .unauthorized, code: "webhook.bad_signature",
                detail: text(
                    zh: "签名无效或来源未登记", en: "The signature is missing or wrong, or the source is not known",
                    language))
        case WebhookRefusal.stale:
            return Problem(
                status: .unauthorized, code: "webhook.stale",
                detail: text(
                    zh: "时间戳超出允许范围，请使用当前时间重新签名",
                    en: "The timestamp is outside the replay window; sign again with the current time", language))
        case let error as ConfigurationError:
            return Problem(status: .unprocessableContent, code: "configuration.invalid", detail: error.description)
        case let error as ServerError:
            if let decoding = error.underlyingError as? DecodingError {
                return Problem(
                    status: .badRequest, code: "request.malformed",
                    detail: text(zh: "请求内容无法解析：", en: "The request body could not be read: ", language)
                        + describe(decoding))
            }
            if let inner = from(error.underlyingError, language: language), inner.status != 500 { return inner }
            if error.httpStatus.code >= 400 && error.httpStatus.code < 500 {
                return Problem(
                    status: error.httpStatus, code: code(for: error.httpStatus),
                    detail: text(zh: "请求无效：", en: "The request is not valid: ", language) + error.causeDescription)
            }
            return nil
        case let error as HTTPError:
            return Problem(
                status: error.status, code: code(for: error.status),
                detail: error.body ?? error.status.reasonPhrase)
        case is DecodingError:
            return Problem(
                status: .badRequest, code: "request.malformed",
                detail: text(zh: "请求内容无法解析", en: "The request body could not be read", language))
        default:
            return nil
        }
    }

    private static func domain(_ error: DomainError, language: Language) -> Problem {
        let status = error.httpStatus
        var fields: [FieldError]?
        if case .validation(let issues) = error { fields = fieldErrors(issues, language) }
        return Problem(status: status, code: error.code, detail: error.message(in: language), errors: fields)
    }

    private static func store(_ error: StoreError, language: Language) -> Problem {
        switch error {
        case .versionConflict(_, let current):
            return Problem(
                status: .conflict, code: error.code,
                detail: text(
                    zh: "投诉已被他人更新（当前版本 \(current)），请刷新后重试",
                    en: "The complaint was changed by someone else (now version \(current)); reload and try again",
                    language), currentVersion: current)
        case .complaintNotFound:
            return Problem(
                status: .notFound, code: error.code, detail: text(zh: "找不到该投诉", en: "No such complaint", language))
        case .incidentVersionConflict(_, let current):
            return Problem(
                status: .conflict, code: error.code,
                detail: text(
                    zh: "群诉事件已被他人更新（当前版本 \(current)），请刷新后重试",
                    en: "The incident was changed by someone else (now version \(current)); reload and try again",
                    language), currentVersion: current)
        case .incidentNotFound:
            return Problem(
                status: .notFound, code: error.code,
                detail: text(zh: "找不到该群诉事件", en: "No such incident", language))
        case .idempotencyKeyReused:
            return Problem(
                status: .unprocessableContent, code: error.code,
                detail: text(
                    zh: "该幂等键已用于另一个不同的请求", en: "This idempotency key was used for a different request",
                    language))
        case .usernameTaken(let name):
            return Problem(
                status: .conflict, code: error.code,
                detail: text(zh: "用户名 \(name) 已存在", en: "The username \(name) is taken", language))
        case .userNotFound(let name):
            return Problem(
                status: .notFound, code: error.code, detail: text(zh: "找不到用户 \(name)", en: "No user \(name)", language))
        case .corruptRecord:
            return Problem(
                status: .internalServerError, code: error.code,
                detail: text(zh: "服务器内部错误", en: "Internal server error", language))
        }
    }

    private static func api(_ error: APIError, language: Language) -> Problem {
        switch error {
        case .unauthenticated:
            return Problem(
                status: .unauthorized, code: "auth.required",
                detail: text(zh: "请先登录或提供有效的访问令牌", en: "Sign in or present a valid bearer token", language))
        case .badCredentials:
            return Problem(
                status: .unauthorized, code: "auth.bad_credentials",
                detail: text(zh: "用户名或密码错误", en: "Wrong username or password", language))
        case .missingFields(let fields):
            return Problem(
                status: .badRequest, code: "request.missing_fields",
                detail: text(zh: "缺少必填字段：", en: "Required fields are missing: ", language)
                    + fields.joined(separator: ", "),
                errors: fields.map {
                    FieldError(field: $0, code: "required", message: text(zh: "必填项", en: "is required", language))
                })
        case .rateLimited:
            return Problem(
                status: .tooManyRequests, code: "auth.rate_limited",
                detail: text(zh: "失败次数过多，请稍后再试", en: "Too many failed attempts; try again in a few minutes", language))
        case .forbidden:
            return Problem(
                status: .forbidden, code: "auth.forbidden",
                detail: text(zh: "您的角色无权访问此资源", en: "Your roles do not allow this", language))
        case .metricsForbidden:
            return Problem(
                status: .forbidden, code: "metrics.forbidden",
                detail: text(
                    zh: "/metrics 仅对本机开放，或须提供所配置的指标令牌",
                    en: "/metrics answers the loopback interface, or a request with the configured metrics token",
                    language))
        case .notFound(let what):
            return Problem(
                status: .notFound, code: "\(what).not_found",
                detail: text(zh: "找不到该资源", en: "No such \(what)", language))
        case .badRequest(let code, let message):
            return Problem(status: .badRequest, code: code, detail: message)
        case .invalid(let issues):
            return domain(DomainError.validation(issues), language: language)
        }
    }

    private static func fieldErrors(_ issues: [FieldIssue], _ language: Language) -> [FieldError] {
        issues.map { FieldError(field: $0.field, code: $0.code, message: $0.message.text(in: language)) }
    }

    private static func text(zh: String, en: String, _ language: Language) -> String {
        LocalizedText(zh: zh, en: en).text(in: language)
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "request.malformed"
        case 401: "auth.required"
        case 403: "auth.forbidden"
        case 404: "route.not_found"
        case 405: "request.method_not_allowed"
        case 406: "request.not_acceptable"
        case 413: "request.too_large"
        case 415: "request.unsupported_media_type"
        case 422: "request.unprocessable"
        default: "request.invalid"
        }
    }

    /// A DecodingError in words a client developer can act on (which field, what was wrong).
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the value" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)).\(key.stringValue) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "invalid body"
        }
    }
}
