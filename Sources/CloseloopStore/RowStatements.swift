import SQLKit

/// `INSERT INTO table (columns…) VALUES (values…)` for the store's own tables and columns.
///
/// SQLKit's builders quote each identifier through a general string replacement, which for the complaint row's
/// sixty columns was a tenth of an intake's time; the store's names are plain snake_case constants, so they are
/// written quoted as they are.
struct RowInsert: SQLExpression {
    let table: String
    let values: [(column: String, value: any SQLExpression)]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("INSERT INTO \(table) (")
        serializer.write(values.lazy.map { "\"\($0.column)\"" }.joined(separator: ", "))
        serializer.write(") VALUES (")
        for (index, entry) in values.enumerated() {
            if index > 0 { serializer.write(", ") }
            entry.value.serialize(to: &serializer)
        }
        serializer.write(")")
    }
}

/// `UPDATE table SET column = value, … WHERE key = value AND … [RETURNING column, …]`, written as `RowInsert` is.
struct RowUpdate: SQLExpression {
    let table: String
    let values: [(column: String, value: any SQLExpression)]
    let matching: [(column: String, value: any SQLExpression)]
    var returning: [String] = []

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("UPDATE \(table) SET ")
        for (index, entry) in values.enumerated() {
            serializer.write(index > 0 ? ", \"\(entry.column)\" = " : "\"\(entry.column)\" = ")
            entry.value.serialize(to: &serializer)
        }
        for (index, entry) in matching.enumerated() {
            serializer.write(index > 0 ? " AND \"\(entry.column)\" = " : " WHERE \"\(entry.column)\" = ")
            entry.value.serialize(to: &serializer)
        }
        if !returning.isEmpty {
            serializer.write(" RETURNING " + returning.map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }
}
