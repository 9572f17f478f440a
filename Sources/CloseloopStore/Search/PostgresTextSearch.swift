import CloseloopCore
import SQLKit

/// PostgreSQL: terms of three characters or more are matched in `complaint_search` (migration 32), a table of each
/// complaint's subject and description lowercased, kept by triggers in received order, with a pg_trgm GIN index;
/// two Chinese characters are looked up in a GIN index over the complaints' `bigrams` column.
///
/// The trigram index also keys each row by its week (`complaint_search_text_by_week`, with btree_gin): PostgreSQL
/// must read the row of every match the trigrams find to check it, and a common term matches tens of thousands at a
/// million complaints. So, from 50 k complaints on (`windowsFrom`), a newest-first search walks the newest 1,500
/// first (a common term fills a page there), then reads the matches of the last two weeks, eight weeks, half a year
/// and only then all (`newestFirstSteps`). PostgreSQL's estimate of a trigram match is too low to choose between
/// these on its own: it walked the received-at index for rare terms and read every match of common ones (p99
/// 0.1–0.3 s at 1 M). A search of two-character terms alone takes the same steps over the complaints table, its
/// windows on the received-at index (`receivedSince`).
struct PostgresTextSearch: TextSearch {
    /// A week in milliseconds: what the week-keyed indexes key rows by (`received_at / weekMilliseconds`).
    static let weekMilliseconds: Int64 = 7 * 86_400_000

    /// Below this many complaints every match is few enough to read at once, and the walk and the windows cost more
    /// than they save: at 10 k they took search from 533 to 81 requests a second (2026-12-04 19:48). At 100 k they
    /// save: without them PostgreSQL walked the received-at index for terms in one complaint in two hundred (Chinese
    /// search p99 245–270 ms, with them 32–33 ms, 2026-12-05 21:10). Where between 10 k and 100 k they start to pay is
    /// not known (`SQLStore.searchWindowsFrom`).
    var windowsFrom: Int
    /// About 3 µs a row at 1 M (5 ms) for the default 1,500: a term in more than one complaint in thirty fills a page
    /// there.
    var walk: Int

    func newestFirstSteps(for terms: [String], on db: any SQLDatabase) async throws -> NewestFirstSteps? {
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
        let long = terms.filter { !SearchTerms.isBigram($0) }
        return NewestFirstSteps(
            walk: walk, windows: [2 * week, 8 * week, 26 * week, nil],
            newest: try row?.decode(column: "newest", as: Int64?.self) ?? 0,
            receivedFrom: Self.receivedSince,
            searchTable: long.isEmpty
                ? nil
                : .init(otherTerms: terms.filter(SearchTerms.isBigram)) { Self.searched(long, among: $0, after: $1) })
    }

    /// Rows of the search table received from the start of the week `instant` (Unix milliseconds) falls in: the
    /// expression its week-keyed trigram index is keyed by.
    @Sendable static func receivedFrom(_ instant: Int64) -> SQLQueryString {
        "(received_at / \(unsafeRaw: String(weekMilliseconds))) >= \(bind: instant / weekMilliseconds)"
    }

    /// The same rows of the complaints table, as its received-at index finds them (the complaints' week-keyed index
    /// went in migration 35).
    @Sendable static func receivedSince(_ instant: Int64) -> SQLQueryString {
        "received_at >= \(bind: instant / weekMilliseconds * weekMilliseconds)"
    }

    /// The search table's rows whose lowercased text (`complaint_search.searched`) holds every one of `terms`, each
    /// matched with LIKE against its lowercased pattern: what ILIKE over subject and description does, with the
    /// lowering done once when the complaint is written.
    static func matching(_ terms: [String]) -> SQLQueryString {
        terms.map { "searched LIKE lower(\(bind: SearchTerms.likePattern($0))) ESCAPE '\\'" as SQLQueryString }
            .joined(separator: " AND ")
    }

    /// The complaints whose text holds every one of `terms` (three characters or more), among `among` of the search
    /// table. The search table is kept in received order with short rows, so a walk of its newest reads adjacent
    /// pages, where a walk of the complaints table read 1,500 scattered rows of the wide table (search p99 at 1 M:
    /// 22–47 ms on the complaints table, 4–8 ms on the search table, the same steps).
    static func searched(_ terms: [String], among: NewestFirstSteps.Among, after: (value: Int64, id: String)?)
        -> SQLQueryString
    {
        let text = matching(terms)
        switch among {
        case .newest(let count):
            var newest = SQLQueryString("SELECT complaint_id, searched FROM complaint_search")
            if let after {
                newest =
                    newest
                    + " WHERE (received_at < \(bind: after.value) OR (received_at = \(bind: after.value) AND complaint_id < \(bind: after.id)))"
            }
            newest = newest + " ORDER BY received_at DESC, complaint_id DESC LIMIT \(unsafeRaw: String(count))"
            return "complaints.id IN (SELECT complaint_id FROM (" + newest + ") AS walked WHERE " + text + ")"
        case .since(let instant):
            return "complaints.id IN (SELECT complaint_id FROM complaint_search WHERE " + receivedFrom(instant)
                + " AND "
                + text + ")"
        case .all:
            return "complaints.id IN (SELECT complaint_id FROM complaint_search WHERE " + text + ")"
        }
    }

    func predicate(for terms: [String]) -> any SQLExpression {
        SQLList(
            terms.map { term in
                if SearchTerms.isBigram(term) {
                    return SQLQueryString(
                        "string_to_array(complaints.bigrams, ' ') @> ARRAY[\(bind: term)]::text[]")
                }
                return Self.searched([term], among: .all, after: nil)
            }, separator: SQLRaw(" AND "))
    }

    func anyTermPredicate(for terms: [String], received: ClosedRange<Int64>?) -> any SQLExpression {
        // The Chinese pairs in one GIN lookup (array overlap), the longer terms each through the trigram index.
        var parts: [any SQLExpression] = []
        let pairs = terms.filter(SearchTerms.isBigram)
        if !pairs.isEmpty {
            parts.append(
                SQLQueryString("string_to_array(complaints.bigrams, ' ') && \(bind: pairs)::text[]"))
        }
        let long = terms.filter { $0.count >= 3 }
        if !long.isEmpty {
            let any = long.map { Self.matching([$0]) }.joined(separator: " OR ")
            // Within a burst's window (an hour or so) the search table's received-at index finds the few rows of the
            // window, and LIKE checks each: 0.2 ms at 100 k, where the trigram index's matches over the whole table,
            // rechecked and then cut to the window, took 3–80 ms for each complaint the burst watcher looked at.
            let window: SQLQueryString =
                received.map { "received_at >= \(bind: $0.lowerBound) AND received_at <= \(bind: $0.upperBound) AND " }
                ?? ""
            parts.append(
                "complaints.id IN (SELECT complaint_id FROM complaint_search WHERE " + window + "(" + any + "))")
        }
        guard !parts.isEmpty else { return SQLRaw("false") }
        return SQLGroupExpression(SQLList(parts, separator: SQLRaw(" OR ")))
    }
}
