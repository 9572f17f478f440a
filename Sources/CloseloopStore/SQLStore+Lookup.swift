import CloseloopCore
import SQLKit

/// What a complaint can be found by from the header's search box, besides its text.
public enum LookupField: String, Sendable, CaseIterable {
    case number, phone, email, name, reference

    var column: String {
        switch self {
        case .number: "number"
        case .phone: "customer_phone"
        case .email: "customer_email"
        case .name: "customer_name"
        case .reference: "order_reference"
        }
    }
}

extension SQLStore {
    /// What a list shows of the complaints whose `field` begins with `prefix` (as stored: see `LookupKey`), newest
    /// first, found through the field's index (migration 26).
    public func summaries(where field: LookupField, beginsWith prefix: String, limit: Int) async throws
        -> [ComplaintSummary]
    {
        guard !prefix.isEmpty else { return [] }
        let column = SQLIdentifier(field.column)
        let predicate: any SQLExpression =
            switch database.dialect {
            case .sqlite:
                // BINARY collation orders by bytes, so the range is exactly the strings that begin with `prefix`.
                SQLQueryString("\(column) >= \(bind: prefix) AND \(column) < \(bind: prefix + "\u{10FFFF}")")
            case .postgres:
                SQLQueryString("\(column) LIKE \(bind: Self.prefixPattern(prefix))")
            }
        return try await database.read { db in
            try await db.select()
                .columns(["id", "received_at", "next_due_at"].map { SQLColumn($0) } + ComplaintSummary.columns)
                .from("complaints")
                .where(predicate)
                .orderBy("received_at", .descending).orderBy("id", .descending)
                .limit(min(max(limit, 1), 200))
                .all().map(ComplaintSummary.init(row:))
        }
    }

    /// `prefix%` with LIKE's wildcards escaped by a backslash, PostgreSQL's default escape character.
    static func prefixPattern(_ prefix: String) -> String {
        var escaped = ""
        for character in prefix {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }
}
