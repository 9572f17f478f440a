/// An error SQLite reported, with its (extended) result code and the statement it came from.
public struct SQLiteFailure: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        let statement = sql.map { " in: \($0.prefix(200))" } ?? ""
        return "SQLite error \(code): \(message)\(statement)"
    }
}
