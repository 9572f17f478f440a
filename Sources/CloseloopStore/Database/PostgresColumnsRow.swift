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

/// A type `PostgresColumnsRow` reads itself, told apart by the identity of its metadata. Callers reach `decode`
/// through `any SQLRow`, so `T` is only known at run time; comparing `T.self` with `Value?.self` and casting with
/// `as? T` instantiated and looked up generic metadata for every cell, a tenth of the server's CPU on a PostgreSQL
/// queue view (perf, 2026-12-05).
private struct DirectType {
    enum Value { case string, int, int64, bool, double }

    let value: Value
    let optional: Bool

    private static let known: [(ObjectIdentifier, DirectType)] = [
        (ObjectIdentifier(String.self), DirectType(value: .string, optional: false)),
        (ObjectIdentifier(String?.self), DirectType(value: .string, optional: true)),
        (ObjectIdentifier(Int.self), DirectType(value: .int, optional: false)),
        (ObjectIdentifier(Int?.self), DirectType(value: .int, optional: true)),
        (ObjectIdentifier(Int64.self), DirectType(value: .int64, optional: false)),
        (ObjectIdentifier(Int64?.self), DirectType(value: .int64, optional: true)),
        (ObjectIdentifier(Bool.self), DirectType(value: .bool, optional: false)),
        (ObjectIdentifier(Bool?.self), DirectType(value: .bool, optional: true)),
        (ObjectIdentifier(Double.self), DirectType(value: .double, optional: false)),
        (ObjectIdentifier(Double?.self), DirectType(value: .double, optional: true)),
    ]

    private init(value: Value, optional: Bool) {
        self.value = value
        self.optional = optional
    }

    init?<T>(_ type: T.Type) {
        let id = ObjectIdentifier(type)
        guard let found = Self.known.first(where: { $0.0 == id }) else { return nil }
        self = found.1
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

    /// `cell` as a `T`, where `T` is the type this was made from; nil for a column of another type, or a NULL read
    /// as a non-optional, which PostgresKit then reports as it always has.
    func read<T>(_ cell: PostgresCell, as: T.Type) throws -> T? {
        guard stored(as: cell.dataType) else { return nil }
        return switch value {
        case .string: try read(String.self, cell, as: T.self)
        case .int: try read(Int.self, cell, as: T.self)
        case .int64: try read(Int64.self, cell, as: T.self)
        case .bool: try read(Bool.self, cell, as: T.self)
        case .double: try read(Double.self, cell, as: T.self)
        }
    }

    /// `cell` decoded as `Value` and given back as `T`, which `init` found to be `Value` or `Value?`: a
    /// reinterpretation, not a dynamic cast.
    private func read<Value: PostgresDecodable, T>(_: Value.Type, _ cell: PostgresCell, as: T.Type) throws -> T? {
        guard cell.bytes != nil else { return optional ? unsafeBitCast(Value?.none, to: T.self) : nil }
        let value = try cell.decode(Value.self)
        return optional ? unsafeBitCast(Optional(value), to: T.self) : unsafeBitCast(value, to: T.self)
    }
}
