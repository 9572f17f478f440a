import CloseloopCore
import SQLKit

/// The dialect corner for full-text search over subject and description; both dialects match on trigrams so Chinese
/// text, which has no spaces between words, is found by any run of three or more characters, and two-character
/// Chinese terms through an index of the text's character pairs (`bigrams`).
protocol TextSearch: Sendable {
    /// A predicate over `complaints` that holds when every term matches.
    func predicate(for terms: [String]) -> any SQLExpression
    /// A predicate over `complaints` that holds when any of the terms matches (each two Chinese characters or three
    /// characters and more), found through the indexes in one lookup each rather than a scan. `received` (Unix
    /// milliseconds), when the caller keeps only complaints received then, lets a dialect look among those alone.
    func anyTermPredicate(for terms: [String], received: ClosedRange<Int64>?) -> any SQLExpression
    /// Whether a newest-first page of these terms is found sooner by walking the received-at index than by
    /// fetching every match and sorting (true for common terms, whose matches are many).
    func walkReceivedOrder(for terms: [String], on db: any SQLDatabase) async throws -> Bool
    /// How a newest-first search is read in steps on this database, if it is (PostgreSQL's from 50 k complaints);
    /// nil reads every match at once.
    func newestFirstSteps(for terms: [String], on db: any SQLDatabase) async throws -> NewestFirstSteps?
}

extension TextSearch {
    func walkReceivedOrder(for terms: [String], on db: any SQLDatabase) async throws -> Bool { false }
    func newestFirstSteps(for terms: [String], on db: any SQLDatabase) async throws -> NewestFirstSteps? { nil }
}

/// A newest-first search read in steps (see `PostgresTextSearch`): first the newest `walk` complaints in received
/// order, where a common term fills a page; then the matches received within each window before the newest, each
/// window wider than the last, until one fills a page.
struct NewestFirstSteps: Sendable {
    var walk: Int
    /// Milliseconds back from the newest complaint a page could hold; nil, always last, looks at everything.
    var windows: [Int64?]
    /// When the newest complaint of all was received (Unix milliseconds): where a first page's windows start.
    var newest: Int64
    /// The condition keeping complaints received from an instant (Unix milliseconds) on, or a little earlier, as the
    /// dialect's index finds them.
    var receivedFrom: @Sendable (Int64) -> SQLQueryString
    /// Where the terms are matched in a table of their own (PostgreSQL's `complaint_search`), how: each step's
    /// condition on `complaints`, and the terms still matched on `complaints` itself.
    var searchTable: SearchTable?

    /// The steps' text condition over a search table kept in received order (`complaint_search`).
    struct SearchTable: Sendable {
        /// The terms matched on the complaints table, not the search table (two Chinese characters: `bigrams`).
        var otherTerms: [String]
        /// The condition keeping the complaints whose text matches among `Among` of the search table, after a
        /// page's cursor (received-at and id).
        var condition: @Sendable (Among, (value: Int64, id: String)?) -> SQLQueryString
    }

    /// Which rows of the search table a step looks among.
    enum Among: Sendable {
        /// The newest this many (after the cursor).
        case newest(Int)
        /// Those received from an instant (Unix milliseconds) on, or a little earlier.
        case since(Int64)
        case all
    }
}

/// Splitting a query into terms, and escaping them for LIKE.
public enum SearchTerms {
    /// Whitespace-separated terms, at most eight, each at most 100 characters.
    public static func split(_ text: String) -> [String] {
        Array(text.split(whereSeparator: \.isWhitespace).prefix(8).map { String($0.prefix(100)) })
    }

    /// Whether `term` is two Chinese characters, the length of most Chinese words (退款, 快递) and one too short for
    /// trigrams: such terms are looked up in the bigram index instead.
    static func isBigram(_ term: String) -> Bool {
        term.count == 2 && term.unicodeScalars.count == 2 && term.unicodeScalars.allSatisfy(isHan)
    }

    /// The distinct pairs of adjacent Han characters in `text`, space-separated: the `bigrams` column that both
    /// dialects index for two-character terms.
    public static func bigrams(of text: String) -> String {
        var seen = Set<String>()
        var grams: [String] = []
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if isHan(scalar), let first = previous {
                let gram = String(String.UnicodeScalarView([first, scalar]))
                if seen.insert(gram).inserted { grams.append(gram) }
            }
            previous = isHan(scalar) ? scalar : nil
        }
        return grams.joined(separator: " ")
    }

    static func isHan(_ scalar: Unicode.Scalar) -> Bool { TextTerms.isHan(scalar) }

    /// Whether an index finds `term` alone: two Chinese characters (the bigram index) or three characters or more
    /// (the trigram index).
    public static func isIndexable(_ term: String) -> Bool { isBigram(term) || term.count >= 3 }

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
