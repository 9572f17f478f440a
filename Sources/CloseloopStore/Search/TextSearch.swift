import CloseloopCore
import SQLKit

/// The dialect corner for full-text search over subject and description; both dialects match on trigrams so Chinese
/// text, which has no spaces between words, is found by any run of three or more characters.
protocol TextSearch: Sendable {
    /// Adds a new complaint's text to the index, inside the creating transaction.
    func index(_ complaint: Complaint, on db: any SQLDatabase) async throws
    /// A predicate over `complaints` that holds when every term matches.
    func predicate(for terms: [String]) -> any SQLExpression
}

/// Splitting a query into terms, and escaping them for LIKE.
enum SearchTerms {
    /// Whitespace-separated terms, at most eight, each at most 100 characters.
    static func split(_ text: String) -> [String] {
        Array(text.split(whereSeparator: \.isWhitespace).prefix(8).map { String($0.prefix(100)) })
    }

    /// `%term%` with LIKE's wildcards escaped by a backslash.
    static func likePattern(_ term: String) -> String {
        var escaped = ""
        for character in term {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%\(escaped)%"
    }
}
