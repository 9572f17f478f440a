import CloseloopCore
import SQLKit

/// PostgreSQL: ILIKE over subject and description, served by a pg_trgm GIN index for terms of three or more
/// characters (the expression must match the index's, `subject || ' ' || description`); two Chinese characters
/// are looked up in a GIN index over the `bigrams` column's words.
struct PostgresTextSearch: TextSearch {
    func predicate(for terms: [String]) -> any SQLExpression {
        SQLList(
            terms.map { term in
                if SearchTerms.isBigram(term) {
                    return SQLQueryString(
                        "string_to_array(complaints.bigrams, ' ') @> ARRAY[\(bind: term)]::text[]")
                }
                return SQLQueryString(
                    "(complaints.subject || ' ' || complaints.description) ILIKE \(bind: SearchTerms.likePattern(term)) ESCAPE '\\'"
                )
            }, separator: SQLRaw(" AND "))
    }

    func anyTermPredicate(for terms: [String]) -> any SQLExpression {
        // The Chinese pairs in one GIN lookup (array overlap), the longer terms each through the trigram index.
        var parts: [any SQLExpression] = []
        let pairs = terms.filter(SearchTerms.isBigram)
        if !pairs.isEmpty {
            parts.append(
                SQLQueryString("string_to_array(complaints.bigrams, ' ') && \(bind: pairs)::text[]"))
        }
        for term in terms where term.count >= 3 {
            parts.append(
                SQLQueryString(
                    "(complaints.subject || ' ' || complaints.description) ILIKE \(bind: SearchTerms.likePattern(term)) ESCAPE '\\'"
                ))
        }
        guard !parts.isEmpty else { return SQLRaw("false") }
        return SQLGroupExpression(SQLList(parts, separator: SQLRaw(" OR ")))
    }
}
