import CloseloopCore
import Foundation
import SQLKit

extension SQLStore {
    /// Saves an action and the messages its change sends, in one transaction.
    public func save(_ action: ImprovementAction, outbox: [OutboxMessage] = []) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO improvement_actions (id, title, description, source, department, owner, due, status,
                    complaints, result, created_by, created_at, updated_at, warned_at, breached_at)
                VALUES (\(bind: action.id), \(bind: action.title), \(bind: action.description),
                    \(bind: action.source.code), \(bind: action.department.rawValue), \(bind: action.owner.rawValue),
                    \(bind: action.due.description), \(bind: action.status.rawValue),
                    \(bind: action.complaints.joined(separator: " ")), \(bind: action.result),
                    \(bind: action.createdBy.rawValue), \(bind: Timestamp.milliseconds(action.createdAt)),
                    \(bind: Timestamp.milliseconds(action.updatedAt)),
                    \(bind: action.warnedAt.map(Timestamp.milliseconds)),
                    \(bind: action.breachedAt.map(Timestamp.milliseconds)))
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
                    owner = excluded.owner, due = excluded.due, status = excluded.status, result = excluded.result,
                    updated_at = excluded.updated_at, warned_at = excluded.warned_at,
                    breached_at = excluded.breached_at
                """
            ).run()
            for message in outbox { try await Self.insert(message, on: db) }
        }
    }

    public func improvementAction(id: String) async throws -> ImprovementAction? {
        try await database.read { db in
            try await db.select().column("*").from("improvement_actions").where("id", .equal, id).first()
                .map(Self.decodeAction)
        }
    }

    /// Actions by status and department, soonest due first.
    public func improvementActions(statuses: [ImprovementAction.Status], department: DepartmentID?) async throws
        -> [ImprovementAction]
    {
        try await database.read { db in
            let select = db.select().column("*").from("improvement_actions")
            if !statuses.isEmpty { select.where("status", .in, statuses.map(\.rawValue)) }
            if let department { select.where("department", .equal, department.rawValue) }
            return try await select.orderBy("due").orderBy("id").limit(500).all().map(Self.decodeAction)
        }
    }

    /// How many actions were raised so far in `year`, to number the next.
    public func improvementActionCount(prefix: String) async throws -> Int {
        try await database.read { db in
            Int(
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM improvement_actions WHERE id LIKE \(bind: prefix + "%")"
                ).first()?.decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    static func decodeAction(_ row: any SQLRow) throws -> ImprovementAction {
        ImprovementAction(
            id: try row.decode(column: "id", as: String.self), title: try row.decode(column: "title", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            source: .init(code: try row.decode(column: "source", as: String.self)),
            department: DepartmentID(try row.decode(column: "department", as: String.self)),
            owner: UserID(try row.decode(column: "owner", as: String.self)),
            due: LocalDate(try row.decode(column: "due", as: String.self)) ?? LocalDate(year: 1970, month: 1, day: 1),
            status: ImprovementAction.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
            complaints: try row.decode(column: "complaints", as: String.self).split(separator: " ").map(String.init),
            result: try row.decode(column: "result", as: String.self),
            createdBy: UserID(try row.decode(column: "created_by", as: String.self)),
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: Int64.self)),
            warnedAt: try row.decode(column: "warned_at", as: Int64?.self).map(Timestamp.date),
            breachedAt: try row.decode(column: "breached_at", as: Int64?.self).map(Timestamp.date))
    }
}

extension SQLStore {
    /// Records that an action's warning (or breach) went out and queues its messages, in one transaction, unless it
    /// was recorded already: of two server instances reaching the same action together, one sends. Returns whether
    /// this call recorded it.
    public func recordActionAlert(_ id: String, breach: Bool, at instant: Date, outbox: [OutboxMessage]) async throws
        -> Bool
    {
        let column = breach ? "breached_at" : "warned_at"
        return try await database.transaction { db in
            let claimed = try await db.raw(
                """
                UPDATE improvement_actions SET \(ident: column) = \(bind: Timestamp.milliseconds(instant))
                WHERE id = \(bind: id) AND \(ident: column) IS NULL RETURNING id
                """
            ).all()
            guard !claimed.isEmpty else { return false }
            for message in outbox { try await Self.insert(message, on: db) }
            return true
        }
    }
}
