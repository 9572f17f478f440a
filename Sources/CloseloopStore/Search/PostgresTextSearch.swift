import CloseloopCore
import SQLKit

/// PostgreSQL: ILIKE over subject and description, served by a pg_trgm GIN index for terms of three or more
/// characters (the expression must match the index's, `subject || ' ' || description`); two Chinese characters
/// are looked up in a GIN index over the `bigrams` column's words.
///
/// The trigram index also keys each complaint by its week (`complaints_text_by_week`, with btree_gin): PostgreSQL
/// must read the row of every match the trigrams find to check it, and a common term matches tens of thousands at a
/// million complaints. So, from 100 k complaints on (`windowsFrom`), a newest-first search walks the newest 1,500
/// complaints first (a common term fills a page there), then reads the matches of the last two weeks, eight weeks,
/// half a year and only then all (`newestFirstSteps`). PostgreSQL's estimate of a trigram match is too low to choose between these on its own: it
/// walked the received-at index for rare terms and read every match of common ones (p99 0.1–0.3 s at 1 M).
struct PostgresTextSearch: TextSearch {
    /// A week in milliseconds: what `complaints_text_by_week` keys complaints by (`received_at / weekMilliseconds`).
    static let weekMilliseconds: Int64 = 7 * 86_400_000

    /// Below this many complaints every match is few enough to read at once, and the walk and the windows cost more
    /// than they save: at 10 k they took search from 533 to 81 requests a second (2026-12-04 19:48). Measured at 10 k
    /// and 1 M only; where between them windows start to pay is not known (`SQLStore.searchWindowsFrom`).
    var windowsFrom: Int

    func newestFirstSteps(on db: any SQLDatabase) async throws -> NewestFirstSteps? {
        // The planner's own row estimate (-1 before the table is first analysed), a catalog read where a count would
        // read the table, and the newest complaint from the received-at index: one round trip.
        let row = try await db.raw(
            """
            SELECT (SELECT reltuples::bigint FROM pg_class WHERE relname = 'complaints') AS estimate,
                (SELECT MAX(received_at) FROM complaints) AS newest
            """
        ).first()
        let estimate = try row?.decode(column: "estimate", as: Int64?.self) ?? 0
        guard windowsFrom <= 0 || estimate >= windowsFrom else { return nil }
        let week = Self.weekMilliseconds
        return NewestFirstSteps(
            // About 3 µs a row at 1 M (5 ms): a term in more than one complaint in thirty fills a page here.
            walk: 1_500, windows: [2 * week, 8 * week, 26 * week, nil],
            newest: try row?.decode(column: "newest", as: Int64?.self) ?? 0,
            // The expression must be the index's, so whole weeks: from the start of the week the instant falls in.
            receivedFrom: { "(received_at / \(unsafeRaw: String(week))) >= \(bind: $0 / week)" })
    }

    /// `term` anywhere in the subject or description, whatever its case. A term without letters that have a case
    /// (Chinese, digits) is matched with LIKE, the same answer for less: ILIKE lowers each candidate's whole text
    /// first, 14 µs a row against LIKE's 1.5 µs (a Chinese term's 2-week window at 342 k complaints: 15.3 against
    /// 2.2 ms), and a search checks hundreds to thousands of rows.
    static func matches(_ term: String) -> SQLQueryString {
        let caseless = term.lowercased() == term && term.uppercased() == term
        return
            "(complaints.subject || ' ' || complaints.description) \(unsafeRaw: caseless ? "LIKE" : "ILIKE") \(bind: SearchTerms.likePattern(term)) ESCAPE '\\'"
    }

    func predicate(for terms: [String]) -> any SQLExpression {
        SQLList(
            terms.map { term in
                if SearchTerms.isBigram(term) {
                    return SQLQueryString(
                        "string_to_array(complaints.bigrams, ' ') @> ARRAY[\(bind: term)]::text[]")
                }
                return Self.matches(term)
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
            parts.append(Self.matches(term))
        }
        guard !parts.isEmpty else { return SQLRaw("false") }
        return SQLGroupExpression(SQLList(parts, separator: SQLRaw(" OR ")))
    }
}
