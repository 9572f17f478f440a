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
        try read(String.self, storedAs: text, cell, as: T.self)
            ?? read(Int.self, storedAs: integer, cell, as: T.self)
            ?? read(Int64.self, storedAs: integer, cell, as: T.self)
            ?? read(Bool.self, storedAs: boolean, cell, as: T.self)
            ?? read(Double.self, storedAs: floatingPoint, cell, as: T.self)
    }

    private static let text: Set<PostgresDataType> = [.text, .varchar, .name, .bpchar]
    private static let integer: Set<PostgresDataType> = [.int2, .int4, .int8]
    private static let boolean: Set<PostgresDataType> = [.bool]
    private static let floatingPoint: Set<PostgresDataType> = [.float4, .float8]

    /// `cell` as a `T` when `T` is `Value` or `Value?` and the cell's column type is one `Value` is read from; nil
    /// otherwise. A NULL read as a non-optional makes `as? T` fail, so PostgresKit reports it as it always has.
    private static func read<Value: PostgresDecodable, T>(
        _: Value.Type, storedAs types: Set<PostgresDataType>, _ cell: PostgresCell, as: T.Type
    ) throws -> T? {
        guard T.self == Value.self || T.self == Value?.self, types.contains(cell.dataType) else { return nil }
        guard cell.bytes != nil else { return Value?.none as? T }
        return try cell.decode(Value.self) as? T
    }
}
