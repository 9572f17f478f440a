import CloseloopCore
import Foundation
import SQLKit

/// SQLite: FTS5 over the complaints' own rows (external content, rowids shared with `complaints`, kept by
/// triggers): the trigram index `complaint_search` for terms of three or more characters, and `complaint_bigrams`
/// over the `bigrams` column for two Chinese characters (退款). Other short terms (one character) fall back to LIKE.
struct SQLiteTextSearch: TextSearch {
    /// Up to this many matches, fetching each match and sorting is quickest; beyond it, walking the received-at
    /// index newest first and stopping at a page is (a common term fills a page within its first few thousand).
    var fetchEachMatchUpTo = 2000

    func predicate(for terms: [String]) -> any SQLExpression {
        let short = terms.filter { $0.count < 3 && !SearchTerms.isBigram($0) }
        var parts: [any SQLExpression] = Self.indexed(terms).map { table, match in
            SQLQueryString(
                "complaints.rowid IN (SELECT rowid FROM \(ident: table) WHERE \(ident: table) MATCH \(bind: match))")
        }
        for term in short {
            let pattern = SearchTerms.likePattern(term)
            parts.append(
                SQLQueryString(
                    "(complaints.subject LIKE \(bind: pattern) ESCAPE '\\' OR complaints.description LIKE \(bind: pattern) ESCAPE '\\')"
                ))
        }
        return SQLList(parts, separator: SQLRaw(" AND "))
    }

    func anyTermPredicate(for terms: [String], received: ClosedRange<Int64>?) -> any SQLExpression {
        // One FTS5 query per index with the terms OR-ed inside it, the two united: SQLite then looks the matching
        // rows up by rowid, where OR-ing separate `rowid IN (…)` tests would scan every complaint. FTS5 has no
        // received-at to bound by; the caller's own condition keeps the window.
        func phrases(_ terms: [String]) -> String {
            terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
        }
        let long = terms.filter { $0.count >= 3 }
        let pairs = terms.filter(SearchTerms.isBigram)
        var selects: [SQLQueryString] = []
        if !pairs.isEmpty {
            selects.append("SELECT rowid FROM complaint_bigrams WHERE complaint_bigrams MATCH \(bind: phrases(pairs))")
        }
        if !long.isEmpty {
            selects.append("SELECT rowid FROM complaint_search WHERE complaint_search MATCH \(bind: phrases(long))")
        }
        guard !selects.isEmpty else { return SQLRaw("0 = 1") }
        return SQLQueryString("complaints.rowid IN (") + selects.joined(separator: " UNION ") + SQLQueryString(")")
    }

    func walkReceivedOrder(for terms: [String], on db: any SQLDatabase) async throws -> Bool {
        let indexed = Self.indexed(terms)
        // Only LIKE terms: every row is read either way, and in received order the page fills soonest.
        if indexed.isEmpty { return true }
        var fewest = Int.max
        for (table, match) in indexed {
            let count =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(ident: table) MATCH \(bind: match)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            fewest = min(fewest, count)
        }
        return fewest > fetchEachMatchUpTo
    }

    /// The FTS5 queries of the terms an index serves: each term a quoted phrase (FTS5 ANDs adjacent phrases).
    private static func indexed(_ terms: [String]) -> [(table: String, match: String)] {
        func phrases(_ terms: [String]) -> String {
            terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
        }
        let long = terms.filter { $0.count >= 3 }
        let pairs = terms.filter(SearchTerms.isBigram)
        var queries: [(table: String, match: String)] = []
        if !long.isEmpty { queries.append(("complaint_search", phrases(long))) }
        if !pairs.isEmpty { queries.append(("complaint_bigrams", phrases(pairs))) }
        return queries
    }
}
