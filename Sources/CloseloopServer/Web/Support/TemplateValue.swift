import Mustache

/// Mustache renders a `nil` inside `Any` as the text "nil" and treats it, like an empty string, as a true section.
/// Page contexts are cleaned before rendering so that nil and "" are blank and false, the way templates expect.
enum TemplateValue {
    /// Blank text that is false in sections.
    struct Blank: MustacheCustomRenderable {
        var renderText: String { "" }
        var isNull: Bool { true }
    }

    static func clean(_ value: Any) -> Any {
        if let optional = value as? any OptionalBox, optional.isNone { return Blank() }
        let value = (value as? any OptionalBox)?.unwrapped ?? value
        switch value {
        case let text as String:
            return text.isEmpty ? Blank() : text
        case let dictionary as [String: Any]:
            return dictionary.mapValues(clean)
        case let array as [Any]:
            return array.map(clean)
        default:
            return value
        }
    }
}

private protocol OptionalBox {
    var isNone: Bool { get }
    var unwrapped: Any? { get }
}

extension Optional: OptionalBox {
    fileprivate var isNone: Bool { self == nil }
    fileprivate var unwrapped: Any? {
        switch self {
        case .some(let wrapped): wrapped
        case .none: nil
        }
    }
}
