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
        guard direct.reads(cell) else { return try row.sql().decode(column: column, as: T.self) }
        return try direct.read(cell, as: T.self)
    }
}

extension DirectType {
    /// Whether `cell` is read here rather than by PostgresKit, with the same result: a column of a type this value is
    /// read from, and a NULL only into an optional (PostgresKit reports a NULL read as a non-optional, as it always
    /// has).
    fileprivate func reads(_ cell: PostgresCell) -> Bool {
        stored(as: cell.dataType) && (cell.bytes != nil || optional)
    }

    /// Whether PostgreSQL's column type is one this value is read from.
    private func stored(as type: PostgresDataType) -> Bool {
        switch value {
        case .string: type == .text || type == .varchar || type == .name || type == .bpchar
        case .int, .int64: type == .int2 || type == .int4 || type == .int8
        case .bool: type == .bool
        case .double: type == .float4 || type == .float8
        }
    }

    /// `cell` as a `T`, where `T` is the type this was made from and `reads(cell)`.
    fileprivate func read<T>(_ cell: PostgresCell, as: T.Type) throws -> T {
        guard cell.bytes != nil else { return null(as: T.self) }
        return switch value {
        case .string: given(try cell.decode(String.self), as: T.self)
        case .int: given(try cell.decode(Int.self), as: T.self)
        case .int64: given(try cell.decode(Int64.self), as: T.self)
        case .bool: given(try cell.decode(Bool.self), as: T.self)
        case .double: given(try cell.decode(Double.self), as: T.self)
        }
    }
}
