import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// The complaints `query` finds, each whole (its document decoded): for the few lists that need more than a row
    /// shows (the decisions awaiting a user, exports, a full API list).
    public func list(_ query: ComplaintQuery) async throws -> ComplaintPage {
        let page = try await rows(
            of: query, columns: StoredDocument.columns.filter { $0 != "id" }.map { SQLColumn($0) }
        ) {
            try StoredDocument($0)
        }
        return ComplaintPage(records: try page.items.map { try decoded.record($0) }, nextCursor: page.nextCursor)
    }

    /// What a list shows of each complaint `query` finds, from the row's columns alone (`ComplaintSummary`).
    public func summaries(_ query: ComplaintQuery) async throws -> SummaryPage {
        let page = try await rows(of: query, columns: ComplaintSummary.columns) { try ComplaintSummary(row: $0) }
        return SummaryPage(summaries: page.items, nextCursor: page.nextCursor)
    }

    /// One page of the rows `query` finds in its order, each read by `item` from `columns` (beside the id and the
    /// sort keys), with the cursor of the next page.
    private func rows<Item: Sendable>(
        of query: ComplaintQuery, columns: [any SQLExpression], item: @escaping @Sendable (any SQLRow) throws -> Item
    ) async throws -> (items: [Item], nextCursor: String?) {
        let limit = min(max(query.limit, 1), 200)
        let cursor = query.cursor.flatMap(PageCursor.init(encoded:))
        let terms = query.text.map(SearchTerms.split) ?? []
        let search = textSearch
        let rows = try await read(for: query) { db in
            let walk =
                query.order == .received && !terms.isEmpty
                ? try await search.walkReceivedOrder(for: terms, on: db) : false
            // A common term: walk the received-at index newest first and stop at a page, instead of fetching and
            // sorting every match (SQLite's planner cannot tell a common term from a rare one).
            let table: any SQLExpression =
                walk ? SQLRaw("complaints INDEXED BY complaints_received") : SQLIdentifier("complaints")
            func select(
                _ condition: SQLQueryString?, count: Int, from source: (any SQLExpression)? = nil,
                terms matched: [String]? = nil, order: (SQLSelectBuilder) -> Void
            ) async throws -> [(id: String, item: Item, received: Int64, due: Int64?)] {
                let select = db.select().columns(["id", "received_at", "next_due_at"].map { SQLColumn($0) } + columns)
                    .from(source ?? table)
                Self.filter(select, by: query, terms: matched ?? terms, search: search)
                if let condition { select.where(condition) }
                order(select)
                return try await select.limit(count).all().map { row in
                    (
                        id: try row.decode(column: "id", as: String.self), item: try item(row),
                        received: try row.decode(column: "received_at", as: Int64.self),
                        due: try row.decode(column: "next_due_at", as: Int64?.self)
                    )
                }
            }
            /// A newest-first page read in `steps`: the newest complaints walked, then windows of time, each read
            /// through the text index; `+ 0` keeps the planner from walking the received-at index for a window.
            func inSteps(_ steps: NewestFirstSteps, after: SQLQueryString?, newest: Int64) async throws
                -> [(id: String, item: Item, received: Int64, due: Int64?)]
            {
                if let table = steps.searchTable {
                    // The text through the search table, each step a condition on the complaints' ids.
                    let position = cursor.map { (value: $0.value, id: $0.id) }
                    func step(_ among: NewestFirstSteps.Among) async throws
                        -> [(id: String, item: Item, received: Int64, due: Int64?)]
                    {
                        let searched = table.condition(among, position)
                        return try await select(
                            after.map { $0 + " AND " + searched } ?? searched, count: limit + 1,
                            terms: table.otherTerms
                        ) { $0.orderBy("received_at", .descending).orderBy("id", .descending) }
                    }
                    var found = try await step(.newest(steps.walk))
                    for window in steps.windows where found.count <= limit {
                        found = try await step(window.map { .since(newest - $0) } ?? .all)
                    }
                    return found
                }
                var recent = SQLQueryString("(SELECT * FROM complaints")
                if let after { recent = recent + " WHERE " + after }
                recent =
                    recent + " ORDER BY received_at DESC, id DESC LIMIT \(unsafeRaw: String(steps.walk))) AS complaints"
                var found = try await select(after, count: limit + 1, from: recent) {
                    $0.orderBy("received_at", .descending).orderBy("id", .descending)
                }
                for window in steps.windows where found.count <= limit {
                    var condition = after
                    if let window {
                        let within = steps.receivedFrom(newest - window)
                        condition = condition.map { $0 + " AND " + within } ?? within
                    }
                    found = try await select(condition, count: limit + 1) {
                        $0.orderBy(
                            SQLOrderBy(expression: SQLRaw("received_at + 0"), direction: SQLDirection.descending)
                        )
                        .orderBy("id", .descending)
                    }
                }
                return found
            }
            switch query.order {
            case .received:
                let after = cursor.map {
                    SQLQueryString(
                        "(received_at < \(bind: $0.value) OR (received_at = \(bind: $0.value) AND id < \(bind: $0.id)))"
                    )
                }
                if !terms.isEmpty, !walk, let steps = try await search.newestFirstSteps(for: terms, on: db) {
                    return try await inSteps(steps, after: after, newest: cursor?.value ?? steps.newest)
                }
                return try await select(after, count: limit + 1) {
                    $0.orderBy("received_at", .descending).orderBy("id", .descending)
                }
            case .due:
                // Nearest deadline first, then the complaints without a running clock. Two reads rather than one
                // ORDER BY over COALESCE(next_due_at, …): each walks an index (`complaints_department_due` for a
                // department's queue) and stops at a page, where the expression made both databases sort every
                // match first.
                var found: [(id: String, item: Item, received: Int64, due: Int64?)] = []
                if cursor.map({ $0.value != Self.noDeadline }) ?? true {
                    var running = SQLQueryString("next_due_at IS NOT NULL")
                    if let cursor {
                        running =
                            "next_due_at IS NOT NULL AND (next_due_at > \(bind: cursor.value) OR (next_due_at = \(bind: cursor.value) AND id > \(bind: cursor.id)))"
                    }
                    found = try await select(running, count: limit + 1) {
                        $0.orderBy("next_due_at", .ascending).orderBy("id", .ascending)
                    }
                }
                guard found.count <= limit else { return found }
                var without = SQLQueryString("next_due_at IS NULL")
                if let cursor, cursor.value == Self.noDeadline {
                    without = "next_due_at IS NULL AND id > \(bind: cursor.id)"
                }
                return try await found
                    + select(without, count: limit + 1 - found.count) { $0.orderBy("id", .ascending) }
            }
        }
        let page = rows.prefix(limit)
        var next: String?
        if rows.count > limit, let last = page.last {
            let value = query.order == .received ? last.received : (last.due ?? Self.noDeadline)
            next = PageCursor(value: value, id: last.id).encoded
        }
        return (page.map(\.item), next)
    }

    /// How many complaints `query` finds, every page together (its order, cursor and limit aside): the counts on
    /// the queues' tabs.
    public func count(_ query: ComplaintQuery) async throws -> Int {
        let terms = query.text.map(SearchTerms.split) ?? []
        let search = textSearch
        return try await read(for: query) { db in
            let select = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("complaints")
            Self.filter(select, by: query, terms: terms, search: search)
            return try await select.first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Runs `body` as `query` allows: on a read replica when it accepts lag (`ComplaintQuery.isAnalysis`).
    private func read<Result: Sendable>(
        for query: ComplaintQuery, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        query.isAnalysis ? try await database.analysis(body) : try await database.read(body)
    }

    /// The sort value of a complaint without a running clock in a nearest-deadline-first list.
    static let noDeadline = Int64.max

    /// The conditions of `query`, shared by the list and its count.
    static func filter(_ select: SQLSelectBuilder, by query: ComplaintQuery, terms: [String], search: any TextSearch) {
        if !query.states.isEmpty { select.where("state", .in, query.states.map(\.rawValue)) }
        if !query.priorities.isEmpty { select.where("priority", .in, query.priorities.map(\.rawValue)) }
        if !query.severities.isEmpty { select.where("severity", .in, query.severities.map(\.rawValue)) }
        if !query.kinds.isEmpty { select.where("kind", .in, query.kinds.map(\.rawValue)) }
        if !query.channels.isEmpty { select.where("channel", .in, query.channels.map(\.rawValue)) }
        if !query.categories.isEmpty { select.where("category", .in, query.categories) }
        if !query.subcategories.isEmpty { select.where("subcategory", .in, query.subcategories) }
        if !query.products.isEmpty { select.where("product", .in, query.products) }
        for outcome in query.outcomes { select.where(SQLRaw(Self.condition(outcome))) }
        if let hours = query.closeHours {
            // The same buckets as the dashboard's time-to-close distribution (`hoursToClose`).
            select.where(SQLRaw("closed_at IS NOT NULL"))
            select.where(SQLRaw("closed_at - received_at >= \(Int64(hours.from) * 3_600_000)"))
            if let upTo = hours.upTo {
                select.where(SQLRaw("closed_at - received_at < \(Int64(upTo) * 3_600_000)"))
            }
        }
        if let outcome = query.clockOutcome {
            select.where(SQLRaw(ClockOutcomes.condition(outcome.clock, met: outcome.met)))
        }
        if let used = query.allowanceUsed {
            // The same buckets as the dashboard's distributions against target (`allowanceUsed`).
            select.where(SQLRaw("\(used.clock.column) IS NOT NULL"))
            if let above = used.above { select.where(SQLRaw("\(used.clock.column) > \(above)")) }
            if let upTo = used.upTo { select.where(SQLRaw("\(used.clock.column) <= \(upTo)")) }
        }
        if let department = query.department { select.where("department", .equal, department.rawValue) }
        if let owner = query.owner { select.where("owner", .equal, owner.rawValue) }
        if let assignee = query.assignee {
            select.where(
                SQLQueryString("(owner = \(bind: assignee.rawValue) OR handler = \(bind: assignee.rawValue))"))
        }
        if query.unassigned { select.where(SQLQueryString("department IS NULL")) }
        if query.awaitingDecision {
            select.where(SQLQueryString("(pending_decision IS NOT NULL OR state = 'awaiting_countersign')"))
        }
        if let dueBefore = query.dueBefore {
            select.where("next_due_at", .lessThan, Timestamp.milliseconds(dueBefore))
        }
        if let from = query.receivedFrom {
            select.where("received_at", .greaterThanOrEqual, Timestamp.milliseconds(from))
        }
        if let before = query.receivedBefore {
            select.where("received_at", .lessThan, Timestamp.milliseconds(before))
        }
        if let phone = query.customerPhone { select.where("customer_phone", .equal, PhoneKey.normalized(phone)) }
        if let email = query.customerEmail { select.where("customer_email", .equal, email.lowercased()) }
        if !terms.isEmpty { select.where(search.predicate(for: terms)) }
    }

    /// The SQL that holds for complaints with `outcome`: the same columns and tests the statistics count them by.
    static func condition(_ outcome: ComplaintQuery.Outcome) -> String {
        switch outcome {
        case .closed: "closed_at IS NOT NULL"
        case .repeated: "is_repeat = 1"
        case .reopened: "reopen_count > 0"
        case .rated: "satisfaction IS NOT NULL"
        case .negative: "satisfaction <= 2"
        case .firstResponseOnTime: "first_response_late = 0"
        case .firstResponseLate: "first_response_late = 1"
        case .resolutionOnTime: "resolution_late = 0"
        case .resolutionLate: "resolution_late = 1"
        }
    }
}
