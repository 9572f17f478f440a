import CloseloopCore
import Foundation
import SQLKit

/// SQLite: an FTS5 table with the trigram tokenizer. Terms shorter than three characters (common two-character
/// Chinese words such as 退款) cannot be trigram-matched, so they fall back to LIKE over the columns.
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
        let short = terms.filter { $0.count < 3 }
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
