extension StringProtocol {
    /// The text without white space at either end, newlines included: the scalars Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` trims on Linux (Unicode's White_Space and the zero-width
    /// space), without its detour through NSString, which cost more than the rest of an intake's validation.
    public var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !Self.isTrimmed($0) })
        else { return "" }
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: scalars[first...last])
        return String(trimmed)
    }

    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\u{200B}"
    }
}
