import CloseloopCore
import Foundation

/// Checks a request against its operation's schemas in the OpenAPI document: every `maxLength`, `minLength`,
/// `pattern`, `format: date-time`, `minimum`, `maximum`, `maxItems`, `minItems` and `enum` the document states, for the
/// JSON body and the query, every failing field at once. The generated server only decodes; this is the one place the
/// document's limits are enforced for the API (the core holds the same text limits for the pages and the CLI).
struct RequestSchema: Sendable {
    /// Components' schemas by name, to follow `$ref`.
    let schemas: [String: JSONValue]

    /// What a check found: required fields absent, and fields present but not valid.
    struct Findings {
        var missing: [String] = []
        var issues: [FieldIssue] = []
    }

    func resolve(_ schema: JSONValue?) -> JSONValue? {
        guard let schema else { return nil }
        if let reference = schema["$ref"]?.string {
            return schemas[String(reference.split(separator: "/").last ?? "")]
        }
        return schema
    }

    /// Checks `value` (decoded JSON) against `schema`, naming fields by their dotted path from `path`.
    func check(_ value: Any, against schema: JSONValue?, at path: String, into findings: inout Findings) {
        guard let schema = resolve(schema) else { return }
        let field = path.isEmpty ? "body" : path
        if let allowed = schema["enum"]?.array {
            let texts = allowed.compactMap(\.string)
            if let text = value as? String, !texts.contains(text) {
                findings.issues.append(
                    FieldIssue(
                        field: field, code: "not_allowed",
                        message: LocalizedText(
                            zh: "须为以下之一：\(texts.joined(separator: "、"))",
                            en: "must be one of: \(texts.joined(separator: ", "))")))
                return
            }
        }
        switch schema["type"]?.string {
        case "object":
            guard let object = value as? [String: Any] else { return }
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] {
                if object[name] == nil || object[name] is NSNull { findings.missing.append(join(path, name)) }
            }
            for (name, property) in properties {
                guard let member = object[name], !(member is NSNull) else { continue }
                check(member, against: property, at: join(path, name), into: &findings)
            }
        case "array":
            guard let items = value as? [Any] else { return }
            if let max = schema["maxItems"]?.int, items.count > max {
                findings.issues.append(
                    FieldIssue(
                        field: field, code: "too_many",
                        message: LocalizedText(zh: "最多 \(max) 项", en: "must have at most \(max) items")))
            }
            if let min = schema["minItems"]?.int, items.count < min {
                findings.issues.append(
                    FieldIssue(
                        field: field, code: "too_few",
                        message: LocalizedText(zh: "至少 \(min) 项", en: "must have at least \(min) items")))
            }
            for (index, item) in items.enumerated() {
                check(item, against: schema["items"], at: "\(field)[\(index)]", into: &findings)
            }
        case "string":
            guard let text = value as? String else { return }
            checkString(text, schema, field: field, into: &findings)
        case "integer", "number":
            guard let number = (value as? NSNumber)?.doubleValue else { return }
            if let minimum = schema["minimum"]?.double, number < minimum {
                findings.issues.append(
                    FieldIssue(
                        field: field, code: "too_small",
                        message: LocalizedText(zh: "不能小于 \(format(minimum))", en: "must be at least \(format(minimum))")
                    ))
            }
            if let maximum = schema["maximum"]?.double, number > maximum {
                findings.issues.append(
                    FieldIssue(
                        field: field, code: "too_large",
                        message: LocalizedText(zh: "不能大于 \(format(maximum))", en: "must be at most \(format(maximum))"))
                )
            }
        default:
            break
        }
    }

    private func checkString(_ text: String, _ schema: JSONValue, field: String, into findings: inout Findings) {
        // A field the document lets run past one line (descriptions, notes, comments) may carry line breaks; every
        // other string is one line. Control characters are refused in both.
        let max = schema["maxLength"]?.int
        let shape: TextRules.Shape = (max ?? 0) > TextRules.line ? .multiLine : .singleLine
        if let issue = TextRules.issue(text, field: field, max: max ?? Int.max, shape: shape) {
            findings.issues.append(issue)
            return
        }
        // `minLength: 1` marks a required text: the core refuses it blank or only spaces, beside every other blank
        // field, so the caller hears of all of them at once.
        if let min = schema["minLength"]?.int, min > 1, text.count < min {
            findings.issues.append(.invalid(field, zh: "太短", en: "is too short"))
        }
        if let pattern = schema["pattern"]?.string,
            let expression = try? NSRegularExpression(pattern: pattern),
            expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
        {
            findings.issues.append(
                FieldIssue(
                    field: field, code: "pattern",
                    message: LocalizedText(zh: "格式不正确", en: "does not have the required form \(pattern)")))
        }
        if schema["format"]?.string == "date-time", InstantText.parse(text) == nil {
            findings.issues.append(
                FieldIssue(
                    field: field, code: "invalid_date",
                    message: LocalizedText(
                        zh: "不是有效的时间（RFC 3339，例如 2026-04-13T09:30:00+08:00）",
                        en: "is not a valid RFC 3339 instant (e.g. 2026-04-13T09:30:00+08:00)")))
        }
    }

    private func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int64(number)) : String(number)
    }
}

/// A JSON document as read from the OpenAPI file, typed enough to walk without casting at every step.
indirect enum JSONValue: Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(_ any: Any) {
        switch any {
        case let value as [String: Any]: self = .object(value.mapValues(JSONValue.init))
        case let value as [Any]: self = .array(value.map(JSONValue.init))
        case let value as String: self = .string(value)
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .number(Double(value))
        case let value as Double: self = .number(value)
        case let value as NSNumber: self = .number(value.doubleValue)
        default: self = .null
        }
    }

    subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }
    var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }
    var double: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
    var int: Int? { double.map { Int($0) } }
}
