import Logging
import Synchronization

/// The reading connections of one database file, each on its own thread, opened as they are first needed. A
/// caller waits for a free one; in WAL mode readers never wait for the writer.
final class SQLiteReaders: Sendable {
    struct Reader: Sendable {
        let session: SQLiteSession
        let thread: SQLiteThread
    }

    private struct State {
        var idle: [Reader] = []
        var opened = 0
        var waiting: [CheckedContinuation<Reader, any Error>] = []
        var closed = false
        var all: [Reader] = []
    }

    private let open: @Sendable () throws -> SQLiteHandle
    private let capacity: Int
    private let logger: Logger
    private let state = Mutex(State())

    init(capacity: Int, logger: Logger, open: @escaping @Sendable () throws -> SQLiteHandle) {
        self.capacity = max(1, capacity)
        self.logger = logger
        self.open = open
    }

    /// Runs `body` on a free reader, on that reader's thread.
    func withReader<Result: Sendable>(_ body: (SQLiteSession) async throws -> Result) async throws -> Result {
        let reader = try await acquire()
        defer { release(reader) }
        return try await withTaskExecutorPreference(reader.thread) { try await body(reader.session) }
    }

    /// Runs `body` on a free reader without moving to its thread: for point reads.
    func withReaderInPlace<Result: Sendable>(_ body: (SQLiteSession) async throws -> Result) async throws -> Result {
        let reader = try await acquire()
        defer { release(reader) }
        return try await body(reader.session)
    }

    func close() {
        let (readers, waiting) = state.withLock { state in
            state.closed = true
            defer { state.waiting = [] }
            return (state.all, state.waiting)
        }
        for waiter in waiting { waiter.resume(throwing: SQLiteFailure(code: 21, message: "database closed", sql: nil)) }
        for reader in readers {
            reader.session.handle.close()
            reader.thread.stop()
        }
    }

    private enum Acquisition {
        case ready(Reader)
        case openOne
        case wait
    }

    private func acquire() async throws -> Reader {
        let next = try state.withLock { state -> Acquisition in
            guard !state.closed else { throw SQLiteFailure(code: 21, message: "database closed", sql: nil) }
            if let reader = state.idle.popLast() { return .ready(reader) }
            guard state.opened < capacity else { return .wait }
            state.opened += 1
            return .openOne
        }
        switch next {
        case .ready(let reader): return reader
        case .openOne:
            do {
                let reader = Reader(
                    session: SQLiteSession(handle: try open(), logger: logger),
                    thread: SQLiteThread(name: "sqlite-reader"))
                state.withLock { $0.all.append(reader) }
                return reader
            } catch {
                state.withLock { $0.opened -= 1 }
                throw error
            }
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let handed = state.withLock { state -> Reader? in
                    // A reader freed between the first look and now goes to this caller at once.
                    if let reader = state.idle.popLast() { return reader }
                    state.waiting.append(continuation)
                    return nil
                }
                if let handed { continuation.resume(returning: handed) }
            }
        }
    }

    private func release(_ reader: Reader) {
        let waiter = state.withLock { state -> CheckedContinuation<Reader, any Error>? in
            if !state.waiting.isEmpty { return state.waiting.removeFirst() }
            state.idle.append(reader)
            return nil
        }
        waiter?.resume(returning: reader)
    }
}
