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
        guard cells.contains(column), let direct = DirectType(T.self) else {
            return try row.sql().decode(column: column, as: T.self)
        }
        let cell = cells[column]
        if let value = try direct.read(cell, as: T.self) { return value }
        return try row.sql().decode(column: column, as: T.self)
    }
}

extension DirectType {
    /// Whether PostgreSQL's column type is one this value is read from.
    fileprivate func stored(as type: PostgresDataType) -> Bool {
        switch value {
        case .string: type == .text || type == .varchar || type == .name || type == .bpchar
        case .int, .int64: type == .int2 || type == .int4 || type == .int8
        case .bool: type == .bool
        case .double: type == .float4 || type == .float8
        }
    }

    /// `cell` as a `T`, where `T` is the type this was made from; nil for a column of another type, or a NULL read
    /// as a non-optional, which PostgresKit then reports as it always has.
    fileprivate func read<T>(_ cell: PostgresCell, as: T.Type) throws -> T? {
        guard stored(as: cell.dataType) else { return nil }
        return switch value {
        case .string: try read(String.self, cell, as: T.self)
        case .int: try read(Int.self, cell, as: T.self)
        case .int64: try read(Int64.self, cell, as: T.self)
        case .bool: try read(Bool.self, cell, as: T.self)
        case .double: try read(Double.self, cell, as: T.self)
        }
    }

    /// `cell` decoded as `Value` and given back as `T`.
    private func read<Value: PostgresDecodable, T>(_: Value.Type, _ cell: PostgresCell, as: T.Type) throws -> T? {
        guard cell.bytes != nil else { return none(Value.self, as: T.self) }
        return given(try cell.decode(Value.self), as: T.self)
    }
}
