import Foundation
import PostgresKit
import SQLKit

/// A PostgreSQL row that reads strings, integers, booleans and doubles straight from their cells (PostgresNIO's own
/// decoding), and every other type, or a cell of an unexpected column type, as PostgresKit does: the same values,
/// without PostgresKit's per-cell bookkeeping (see `PostgresSQLConnection`).
struct PostgresColumnsRow: SQLRow {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        cells = row.makeRandomAccess()
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool { !cells.contains(column) || cells[column].bytes == nil }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard cells.contains(column) else { return try row.sql().decode(column: column, as: T.self) }
        let cell = cells[column]
        if let value = try Self.direct(cell, as: T.self) { return value }
        return try row.sql().decode(column: column, as: T.self)
    }

    /// The value of `cell` for the types PostgresNIO decodes itself from the column types they are stored in; nil
    /// leaves the cell to PostgresKit.
    private static func direct<T>(_ cell: PostgresCell, as type: T.Type) throws -> T? {
        if T.self == String.self || T.self == String?.self {
            guard Self.text.contains(cell.dataType) else { return nil }
            return try optional(cell, String.self) as? T
        }
        if T.self == Int.self || T.self == Int?.self {
            guard Self.integer.contains(cell.dataType) else { return nil }
            return try optional(cell, Int.self) as? T
        }
        if T.self == Int64.self || T.self == Int64?.self {
            guard Self.integer.contains(cell.dataType) else { return nil }
            return try optional(cell, Int64.self) as? T
        }
        if T.self == Bool.self || T.self == Bool?.self {
            guard cell.dataType == .bool else { return nil }
            return try optional(cell, Bool.self) as? T
        }
        if T.self == Double.self || T.self == Double?.self {
            guard cell.dataType == .float8 || cell.dataType == .float4 else { return nil }
            return try optional(cell, Double.self) as? T
        }
        return nil
    }

    private static let text: Set<PostgresDataType> = [.text, .varchar, .name, .bpchar]
    private static let integer: Set<PostgresDataType> = [.int2, .int4, .int8]

    /// The cell's value, nil for SQL NULL. A NULL asked for as a non-optional makes `as? T` fail above, so PostgresKit
    /// reports it as it always has.
    private static func optional<Value: PostgresDecodable>(_ cell: PostgresCell, _ type: Value.Type) throws -> Value? {
        guard cell.bytes != nil else { return nil }
        return try cell.decode(Value.self)
    }
}
