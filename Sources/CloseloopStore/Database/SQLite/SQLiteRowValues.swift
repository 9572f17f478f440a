import CSQLiteLink
import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// One result row, copied out of the statement while it is current, read through SQLKit's `SQLRow`.
struct SQLiteRowValues: SQLRow {
    /// The names of a result's columns, shared by its rows.
    final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]

        init(statement: OpaquePointer) {
            let count = Int(sqlite_nio_sqlite3_column_count(statement))
            names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, Int32($0))) }
            // A name given twice (a join) resolves to its first column, as SQLiteNIO did.
            positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    init(columns: Columns, statement: OpaquePointer) {
        self.columns = columns
        values = (0..<Int32(columns.names.count)).map { Self.value(at: $0, of: statement) }
    }

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.positions[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.positions[column] else { return true }
        return values[position] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.positions[column] else {
            throw SQLiteFailure(code: 1, message: "no column \(column) in the result", sql: nil)
        }
        let value = values[position]
        // The common pairs directly: SQLiteKit's decoder goes through `Decoder` for each value, which was most of the
        // time of reading history rows (`verify-history`). Anything else, and any mismatch, goes to it as before.
        if let direct = DirectType(D.self), direct.reads(value) { return direct.read(value, as: D.self) }
        switch value {
        case .blob(let bytes) where D.self == Data.self: return unsafeBitCast(Data(bytes.readableBytesView), to: D.self)
        case .null:
            if let optional = D.self as? any ExpressibleByNilLiteral.Type,
                let none = optional.init(nilLiteral: ()) as? D
            {
                return none
            }
        default: break
        }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }

    private static func value(at column: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case CSQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(statement, column)))
        case CSQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case CSQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case CSQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}

extension DirectType {
    /// Whether `data` is read here rather than by SQLiteKit, with the same result: text as a string, an integer as an
    /// `Int` or `Int64`, and a NULL as any optional.
    fileprivate func reads(_ data: SQLiteData) -> Bool {
        switch (data, value) {
        case (.text, .string), (.integer, .int), (.integer, .int64): true
        case (.null, _): optional
        default: false
        }
    }

    /// `data` as a `T`, where `T` is the type this was made from and `reads(data)`.
    fileprivate func read<T>(_ data: SQLiteData, as: T.Type) -> T {
        switch (data, value) {
        case (.text(let text), _): given(text, as: T.self)
        case (.integer(let number), .int): given(Int(number), as: T.self)
        case (.integer(let number), _): given(Int64(number), as: T.self)
        default: null(as: T.self)
        }
    }
}
