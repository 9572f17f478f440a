import Logging
import NIOCore
import PostgresKit
import SQLKit

/// One PostgreSQL connection spoken to through SQLKit, with rows read by `PostgresColumnsRow`.
///
/// PostgresKit's own `connection.sql()` reads every value through `PostgresDataTranslation`, which builds a coding
/// path (a formatted string), casts the type to a protocol existential and checks its workarounds for each cell: a
/// page of fifty summaries is a thousand cells, and that was a fifth of the server's CPU on a PostgreSQL queue view
/// (perf, 2026-12-04). Statements and their binds are encoded as PostgresKit encodes them; a bind of a type PostgreSQL
/// cannot encode directly sends the statement through PostgresKit's path instead.
struct PostgresSQLConnection: SQLDatabase {
    let connection: PostgresConnection
    /// PostgresKit's view of the same connection: its dialect, and the statements this one does not take.
    let standard: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
        standard = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { standard.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        let (sql, binds) = serialize(query)
        var bindings = PostgresBindings(capacity: binds.count)
        do {
            for bind in binds {
                guard try Self.append(bind, to: &bindings) else { return standard.execute(sql: query, onRow) }
            }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) { row in
            onRow(PostgresColumnsRow(row))
        }.map { _ in }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// Appends `value` as PostgresKit would when PostgreSQL's own encoding covers it (nil, strings, integers,
    /// booleans, floating point, dates, arrays of these); false for anything that needs PostgresKit's `Encodable` path.
    private static func append<Value: Encodable>(_ value: Value, to bindings: inout PostgresBindings) throws -> Bool {
        if (value as? any OptionalValue)?.isNone == true {
            bindings.appendNull()
            return true
        }
        // A cast looks through a filled optional to its value.
        guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable else { return false }
        try bindings.append(encodable)
        return true
    }
}

/// An optional of any wrapped type, so a value behind a generic parameter can be asked whether it is empty.
private protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    fileprivate var isNone: Bool { self == nil }
}
