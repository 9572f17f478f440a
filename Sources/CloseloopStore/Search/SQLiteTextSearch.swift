import CloseloopCore
import Foundation
import SQLKit

/// SQLite: an FTS5 table with the trigram tokenizer for terms of three or more characters; two Chinese characters
/// (退款) are tokens of `complaint_bigrams`, an FTS5 index over the `bigrams` column kept by triggers. Other short
/// terms (one character) fall back to LIKE over the columns.
struct SQLiteTextSearch: TextSearch {
    func index(_ complaint: Complaint, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO complaint_search (complaint_id, subject, description)
            VALUES (\(bind: complaint.id.rawValue), \(bind: complaint.intake.subject), \(bind: complaint.intake.description))
            """
        ).run()
    }

    func predicate(for terms: [String]) -> any SQLExpression {
        let long = terms.filter { $0.count >= 3 }
        let pairs = terms.filter(SearchTerms.isBigram)
        let short = terms.filter { $0.count < 3 && !SearchTerms.isBigram($0) }
        var parts: [any SQLExpression] = []
        if !long.isEmpty {
            // Each term a quoted phrase; FTS5 ANDs adjacent phrases.
            let match = long.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                separator: " ")
            parts.append(
                SQLQueryString(
                    "complaints.id IN (SELECT complaint_id FROM complaint_search WHERE complaint_search MATCH \(bind: match))"
                ))
        }
        if !pairs.isEmpty {
            let match = pairs.map { "\"" + $0 + "\"" }.joined(separator: " ")
            parts.append(
                SQLQueryString(
                    "complaints.rowid IN (SELECT rowid FROM complaint_bigrams WHERE complaint_bigrams MATCH \(bind: match))"
                ))
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
}
