import CloseloopCore
import SQLKit

/// PostgreSQL: ILIKE over subject and description, served by a pg_trgm GIN index for terms of three or more
/// characters (the expression must match the index's, `subject || ' ' || description`); two Chinese characters
/// are looked up in a GIN index over the `bigrams` column's words.
///
/// The trigram index also keys each complaint by its week (`complaints_text_by_week`, with btree_gin): PostgreSQL
/// must read the row of every match the trigrams find to check it, and a common term matches tens of thousands at a
/// million complaints. So, from 100 k complaints on (`windowsFrom`), a newest-first search walks the newest 1,500 complaints first (`recentWalk`: a common term
/// fills a page there), then reads the matches of the last two weeks, eight weeks, half a year and only then all
/// (`receivedWindows`). PostgreSQL's estimate of a trigram match is too low to choose between these on its own: it
/// walked the received-at index for rare terms and read every match of common ones (p99 0.1–0.3 s at 1 M).
struct PostgresTextSearch: TextSearch {
    /// A week in milliseconds: what `complaints_text_by_week` keys complaints by (`received_at / weekMilliseconds`).
    static let weekMilliseconds: Int64 = 7 * 86_400_000

    /// Below this many complaints every match is few enough to read at once, and the walk and the windows cost more
    /// than they save: at 10 k they took search from 533 to 81 requests a second (2026-12-04 19:48). Measured at 10 k
    /// and 1 M only; where between them windows start to pay is not known (`SQLStore.searchWindowsFrom`).
    var windowsFrom: Int

    func receivedWindows(on db: any SQLDatabase) async throws -> [Int64?] {
        if windowsFrom > 0 {
            // The planner's own row estimate (-1 before the table was first analysed): a catalog read, where a
            // count would read the table.
            let estimate =
                try await db.raw("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'complaints'").first()?
                .decode(column: "n", as: Int64.self) ?? 0
            guard estimate >= windowsFrom else { return [nil] }
        }
        return [2 * Self.weekMilliseconds, 8 * Self.weekMilliseconds, 26 * Self.weekMilliseconds, nil]
    }

    /// About 3 µs a row at 1 M (5 ms): a term in more than one complaint in thirty is found here.
    var recentWalk: Int? { 1_500 }

    func received(from start: Int64) -> SQLQueryString {
        // The expression must be the index's, so whole weeks: from the start of the week `start` falls in.
        "(received_at / \(unsafeRaw: String(Self.weekMilliseconds))) >= \(bind: start / Self.weekMilliseconds)"
    }

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
