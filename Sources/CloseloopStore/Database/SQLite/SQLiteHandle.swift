import CSQLiteLink
import SQLiteNIO
import Synchronization

/// One SQLite connection driven through the C API on the calling thread, its prepared statements kept for reuse.
///
/// SQLiteNIO ran every statement on its thread pool and handed every row back through an event loop: for one intake,
/// about ten thread hops and a fresh compile of each statement, a third of the server's time in the profile
/// (BENCHMARKS.md). Here a statement runs where it is called — on the connection's own `SQLiteThread` — and is
/// compiled once.
///
/// `@unchecked Sendable`: the `sqlite3` pointer is used only under `state`'s lock (the connection is opened
/// without SQLite's own mutex), and the pool hands a connection to one caller at a time besides.
final class SQLiteHandle: @unchecked Sendable {
    private struct State {
        var statements: [String: OpaquePointer] = [:]
        /// Least recently used first.
        var order: [String] = []
        var closed = false
    }

    let path: String
    private let connection: OpaquePointer
    private let state = Mutex(State())
    /// Compiled statements kept; the store issues a few dozen distinct ones, so this rarely evicts.
    private let statementCapacity: Int

    init(path: String, statementCapacity: Int = 96) throws {
        var connection: OpaquePointer?
        let flags = CSQLITE_OPEN_READWRITE | CSQLITE_OPEN_CREATE | CSQLITE_OPEN_NOMUTEX | CSQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &connection, flags, nil)
        guard opened == CSQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            if let connection { sqlite_nio_sqlite3_close_v2(connection) }
            throw SQLiteFailure(code: opened, message: "cannot open \(path): \(message)", sql: nil)
        }
        self.path = path
        self.connection = connection
        self.statementCapacity = statementCapacity
    }

    deinit {
        close()
    }

    /// Whether a transaction is open on this connection.
    var inTransaction: Bool {
        state.withLock { _ in sqlite_nio_sqlite3_get_autocommit(connection) == 0 }
    }

    /// Runs one statement with its binds (`?1`, `?2`, … as SQLKit's SQLite dialect writes them) and hands each
    /// result row to `onRow` as it is stepped.
    func run(_ sql: String, _ binds: [SQLiteData], onRow: (SQLiteRowValues) throws -> Void) throws {
        try state.withLock { state in
            guard !state.closed else { throw SQLiteFailure(code: 21, message: "connection closed", sql: sql) }
            let statement = try prepared(sql, in: &state)
            // Reset only: every run binds every parameter again, and clearing the bindings would make SQLite
            // recompile any statement whose plan looked at a bound value (a LIMIT, a partial index), every time.
            defer { sqlite_nio_sqlite3_reset(statement) }
            let parameters = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
            guard parameters == binds.count else {
                throw SQLiteFailure(
                    code: 25, message: "\(binds.count) values for \(parameters) parameters", sql: sql)
            }
            try bind(binds, to: statement, sql: sql)
            var columns: SQLiteRowValues.Columns?
            while true {
                let stepped = sqlite_nio_sqlite3_step(statement)
                if stepped == CSQLITE_DONE { return }
                guard stepped == CSQLITE_ROW else { throw failure(stepped, sql: sql) }
                let names = columns ?? SQLiteRowValues.Columns(statement: statement)
                columns = names
                try onRow(SQLiteRowValues(columns: names, statement: statement))
            }
        }
    }

    /// Runs a statement once without keeping it compiled (connection settings).
    func execute(_ sql: String) throws {
        try state.withLock { _ in
            var statement: OpaquePointer?
            let compiled = sqlite_nio_sqlite3_prepare_v3(connection, sql, -1, 0, &statement, nil)
            defer { sqlite_nio_sqlite3_finalize(statement) }
            guard compiled == CSQLITE_OK else { throw failure(compiled, sql: sql) }
            var stepped = sqlite_nio_sqlite3_step(statement)
            while stepped == CSQLITE_ROW { stepped = sqlite_nio_sqlite3_step(statement) }
            guard stepped == CSQLITE_DONE else { throw failure(stepped, sql: sql) }
        }
    }

    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            for statement in state.statements.values { sqlite_nio_sqlite3_finalize(statement) }
            state.statements = [:]
            sqlite_nio_sqlite3_close_v2(connection)
        }
    }

    // MARK: - Statements

    private func prepared(_ sql: String, in state: inout State) throws -> OpaquePointer {
        if let statement = state.statements[sql] {
            if state.order.last != sql, let index = state.order.lastIndex(of: sql) {
                state.order.remove(at: index)
                state.order.append(sql)
            }
            return statement
        }
        var statement: OpaquePointer?
        let compiled = sqlite_nio_sqlite3_prepare_v3(
            connection, sql, -1, UInt32(CSQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard compiled == CSQLITE_OK else { throw failure(compiled, sql: sql) }
        guard let statement else {
            // Only a comment or white space: SQLite compiles it to nothing.
            throw SQLiteFailure(code: 1, message: "no statement in the SQL text", sql: sql)
        }
        if state.statements.count >= statementCapacity, let oldest = state.order.first {
            state.order.removeFirst()
            if let evicted = state.statements.removeValue(forKey: oldest) { sqlite_nio_sqlite3_finalize(evicted) }
        }
        state.statements[sql] = statement
        state.order.append(sql)
        return statement
    }

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer, sql: String) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let bound: Int32
            switch value {
            case .integer(let integer): bound = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
            case .float(let double): bound = sqlite_nio_sqlite3_bind_double(statement, index, double)
            case .null: bound = sqlite_nio_sqlite3_bind_null(statement, index)
            case .text(let text):
                // A Swift string passes as NUL-terminated UTF-8; SQLite copies it.
                bound = csqlite_bind_text(statement, index, text, Int64(text.utf8.count))
            case .blob(let buffer):
                bound = buffer.withUnsafeReadableBytes { bytes in
                    // A null pointer would bind NULL, not an empty blob.
                    withUnsafeBytes(of: UInt8(0)) { empty in
                        csqlite_bind_blob(statement, index, bytes.baseAddress ?? empty.baseAddress, Int64(bytes.count))
                    }
                }
            }
            guard bound == CSQLITE_OK else { throw failure(bound, sql: sql) }
        }
    }

    private func failure(_ code: Int32, sql: String) -> SQLiteFailure {
        SQLiteFailure(code: code, message: String(cString: sqlite_nio_sqlite3_errmsg(connection)), sql: sql)
    }
}
