import CloseloopCore
import SQLKit

/// PostgreSQL: ILIKE over subject and description, served by a pg_trgm GIN index for terms of three or more
/// characters. The expression must match the index's (`subject || ' ' || description`).
struct PostgresTextSearch: TextSearch {
    func index(_ complaint: Complaint, on db: any SQLDatabase) async throws {}

    func predicate(for terms: [String]) -> any SQLExpression {
        SQLList(
            terms.map { term in
                SQLQueryString(
                    "(complaints.subject || ' ' || complaints.description) ILIKE \(bind: SearchTerms.likePattern(term)) ESCAPE '\\'"
                )
            }, separator: SQLRaw(" AND "))
    }
}
