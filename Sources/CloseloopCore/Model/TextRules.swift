/// The limits every free-text field of the loop obeys, whoever sends it (API, web form, import, CLI): one table, so the
/// OpenAPI document, the pages and the core cannot disagree. The document states the same numbers; a server test
/// walks it and proves each one is refused.
public enum TextRules {
    /// Identifiers and short names: a department, a user, a category, an incident code.
    public static let short = 100
    /// One line: a subject, a problem type, one missing item.
    public static let line = 200
    /// A comment, a reason, a short note.
    public static let comment = 5_000
    /// Long text: a description, findings, a note, a case write-up.
    public static let long = 20_000
    /// Items in one list: attachments of one action, missing items of one completeness check.
    public static let listItems = 20
    /// A voice-to-text transcript of a call.
    public static let transcript = 100_000

    /// Whether a field may span lines: single-line fields refuse every control character, multi-line fields allow
    /// line feeds, carriage returns and tabs.
    public enum Shape: Sendable {
        case singleLine, multiLine
    }

    /// The problem with `value` as field `field`, or nil: too long (counted in characters as a person sees them) or
    /// carrying control characters (NUL, ESC, BEL…, which no keyboard types and which break terminals and exports).
    public static func issue(_ value: String, field: String, max: Int, shape: Shape) -> FieldIssue? {
        if let control = value.unicodeScalars.first(where: { isForbidden($0, shape: shape) }) {
            let hex = String(control.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
            return FieldIssue(
                field: field, code: "control_character",
                message: LocalizedText(
                    zh: "含有不可见的控制字符 (\(code))", en: "contains an invisible control character (\(code))"))
        }
        if value.count > max { return .tooLong(field, max: max) }
        return nil
    }

    /// Whether `scalar` may not appear in a field of this shape.
    public static func isForbidden(_ scalar: Unicode.Scalar, shape: Shape) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0D, 0x09: shape == .singleLine
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidirectional overrides can make a name or a number read differently from what is stored.
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
