import CloseloopTestSupport
import Foundation
import PostgresKit
import SQLKit
import Testing

@testable import CloseloopStore

/// The PostgreSQL rows the store reads (`PostgresColumnsRow`) give every value PostgresKit's own rows give, and fail
/// where they fail: a faster path must not change what a page shows or hide a corrupt row.
@Suite("PostgreSQL rows")
struct PostgresColumnsRowTests {
    /// One cell of each column type the schema uses, and NULLs of some.
    private static let query = """
        SELECT '投诉 «straße»'::text AS text, ''::varchar AS varchar, NULL::text AS null_text,
            9223372036854775807::int8 AS int8, (-2147483648)::int4 AS int4, 7::int2 AS int2, NULL::int8 AS null_int,
            true AS bool, NULL::bool AS null_bool, 0.1::float8 AS float8, (-2.5)::float4 AS float4,
            NULL::float8 AS null_float, '2026-12-05 10:30:00+00'::timestamptz AS timestamptz
        """

    private static let columns = [
        "text", "varchar", "null_text", "int8", "int4", "int2", "null_int", "bool", "null_bool", "float8", "float4",
        "null_float", "timestamptz", "missing",
    ]
    private static var types: [any Decodable.Type] {
        [
            String.self, String?.self, Int.self, Int?.self, Int64.self, Int64?.self, Bool.self, Bool?.self, Double.self,
            Double?.self, Date.self, Date?.self,
        ]
    }

    @Test(
        "every type from every column reads as PostgresKit reads it",
        arguments: DatabaseKind.available.filter { $0 == .postgres })
    func sameAsPostgresKit(kind: DatabaseKind) async throws {
        try await withStore(kind, migrated: false) { store in
            let rows = try await store.database.read { db in try await db.raw(SQLQueryString(Self.query)).all() }
            let row = try #require(rows.first as? PostgresColumnsRow)
            let ours = readings(of: row, columns: Self.columns, types: Self.types)
            let theirs = readings(of: row.row.sql(), columns: Self.columns, types: Self.types)
            #expect(ours.count == 14 * 12)
            for (mine, expected) in zip(ours, theirs) { #expect(mine == expected) }
            // The readings are not all failures or all alike: the values themselves come through.
            #expect(ours.contains("text as String: 投诉 «straße»"))
            #expect(ours.contains("null_text as Optional<String>: nil"))
            #expect(ours.contains("null_text as String: fails"))
            #expect(ours.contains("int8 as Int64: 9223372036854775807"))
            #expect(ours.contains("int2 as Optional<Int>: Optional(7)"))
            #expect(ours.contains("float4 as Double: -2.5"))
            #expect(ours.contains("bool as Optional<Bool>: Optional(true)"))
            #expect(ours.contains("text as Int: fails"))
        }
    }
}
