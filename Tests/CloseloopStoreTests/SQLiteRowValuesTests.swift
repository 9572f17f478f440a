import CloseloopTestSupport
import Foundation
import SQLKit
import SQLiteKit
import SQLiteNIO
import Testing

@testable import CloseloopStore

/// The SQLite rows the store reads (`SQLiteRowValues`) give every value SQLiteKit's decoder gives, and fail where it
/// fails: a faster path must not change what a page shows or hide a corrupt row.
@Suite("SQLite rows")
struct SQLiteRowValuesTests {
    /// One value of each storage class SQLite has, and the texts and numbers the schema keeps.
    private static let query = """
        SELECT '投诉 «straße»' AS text, '' AS empty, NULL AS null_value, 9223372036854775807 AS int8, -7 AS negative,
            1 AS one, 0.1 AS real, -2.5 AS negative_real, x'00ff10' AS blob, '12' AS digits,
            '2026-12-05T10:30:00Z' AS date_text
        """
    private static let columns = [
        "text", "empty", "null_value", "int8", "negative", "one", "real", "negative_real", "blob", "digits",
        "date_text", "missing",
    ]

    /// Every column read as SQLiteKit's decoder reads its value.
    private struct DecoderRow: SQLRow {
        let row: SQLiteRowValues

        var allColumns: [String] { row.allColumns }
        func contains(column: String) -> Bool { row.contains(column: column) }
        func decodeNil(column: String) throws -> Bool { try row.decodeNil(column: column) }
        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            guard let position = row.columns.positions[column] else {
                throw SQLiteFailure(code: 1, message: "", sql: nil)
            }
            return try SQLiteDataDecoder().decode(D.self, from: row.values[position])
        }
    }

    private static var types: [any Decodable.Type] {
        [
            String.self, String?.self, Int.self, Int?.self, Int64.self, Int64?.self, Bool.self, Bool?.self, Double.self,
            Double?.self, Data.self, Data?.self, Date?.self,
        ]
    }

    @Test("every type from every column reads as SQLiteKit's decoder reads it")
    func sameAsSQLiteKit() async throws {
        try await withStore(.sqlite, migrated: false) { store in
            let rows = try await store.database.read { db in try await db.raw(SQLQueryString(Self.query)).all() }
            let row = try #require(rows.first as? SQLiteRowValues)
            let ours = readings(of: row, columns: Self.columns, types: Self.types)
            let theirs = readings(of: DecoderRow(row: row), columns: Self.columns, types: Self.types)
            #expect(ours.count == Self.columns.count * 13)
            for (mine, expected) in zip(ours, theirs) { #expect(mine == expected) }
            // The readings are not all failures or all alike: the values themselves come through.
            #expect(ours.contains("text as String: 投诉 «straße»"))
            #expect(ours.contains("null_value as Optional<String>: nil"))
            #expect(ours.contains("null_value as String: fails"))
            #expect(ours.contains("int8 as Int64: 9223372036854775807"))
            #expect(ours.contains("negative as Optional<Int>: Optional(-7)"))
            #expect(ours.contains("negative_real as Double: -2.5"))
            #expect(ours.contains("one as Bool: true"))
            #expect(ours.contains("blob as Data: 3 bytes"))
            #expect(ours.contains("text as Int: fails"))
        }
    }
}
