import Foundation

/// How a header search's words are read as the things a caller quotes: a complaint number, a phone number in any
/// format, an email address, a customer's name or an order reference. Pure, so the page, the API and the tests read
/// a query alike.
public struct LookupKey: Hashable, Sendable {
    /// The query as typed, trimmed.
    public var text: String
    /// The query without spaces and dashes, when it could be (the beginning of) a complaint number.
    public var number: String?
    /// The phone number's digits as stored (`PhoneKey`), when the query is a phone number or its beginning.
    public var phone: String?
    /// Lowercased, when the query could be an email address or its beginning.
    public var email: String?
    /// The query as a customer's name or its beginning.
    public var name: String?
    /// Lowercased, as order references are stored.
    public var reference: String?

    /// A phone number or complaint number shorter than this matches too much to be worth looking up by prefix.
    public static let minimumDigits = 3

    public init(_ query: String) {
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = text
        let compact = text.filter { $0 != " " && $0 != "-" }
        let phoneLike = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || " -+().".contains($0)) }
        let digits = text.filter { $0.isASCII && $0.isNumber }
        // Numbers may carry letters from their pattern, but always digits.
        let numberLike = compact.count >= Self.minimumDigits && !digits.isEmpty && !compact.contains("@")
        number = numberLike && !compact.contains(where: \.isWhitespace) ? compact : nil
        phone = phoneLike && digits.count >= Self.minimumDigits ? PhoneKey.normalized(text) : nil
        email = text.contains("@") ? text.lowercased() : nil
        name = text.isEmpty || phoneLike || text.contains("@") ? nil : text
        reference = Self.reference(text)
    }

    /// An order reference as stored and compared: trimmed and lowercased; nil when empty.
    public static func reference(_ text: String?) -> String? { referenceAsGiven(text)?.lowercased() }

    /// An order reference as shown: trimmed; nil when empty.
    public static func referenceAsGiven(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
