import SQLKit

/// Each of `types` read from each of `columns` of `row`, as the `description` of its value or "fails": what the
/// store's own rows are compared by with their drivers' (`PostgresColumnsRowTests`, `SQLiteRowValuesTests`).
func readings(of row: any SQLRow, columns: [String], types: [any Decodable.Type]) -> [String] {
    func reading<T: Decodable>(_ column: String, _ type: T.Type) -> String {
        do {
            return "\(column) as \(T.self): \(String(describing: try row.decode(column: column, as: T.self)))"
        } catch {
            return "\(column) as \(T.self): fails"
        }
    }
    return columns.flatMap { column in types.map { reading(column, $0) } }
}
