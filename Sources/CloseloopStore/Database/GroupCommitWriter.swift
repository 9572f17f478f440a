import Logging
import SQLKit
import Synchronization

/// Group commit for the single SQLite writer (ARCHITECTURE: "the writer batches concurrent write transactions into
/// one commit"). Transactions that arrive while a commit is being made wait together; the next batch runs them one
/// after another inside one `BEGIN IMMEDIATE … COMMIT`, so the batch costs one fsync instead of one per transaction,
/// yet each caller gets its own result or error. A caller hears of success only after the COMMIT is durable; if the
/// COMMIT fails, every caller of the batch gets the error and nothing was kept.
///
/// A batch first runs without savepoints: a savepoint per transaction made the full-text indexes flush their
/// pending entries once per transaction instead of once per commit. If one transaction fails, the batch is rolled
/// back and run again with each transaction in its own savepoint, so the failing one is undone alone. Transaction
/// bodies only read and write the database, so running one twice is safe.
///
/// Batches run on the writer connection's own thread, statements in place, so neither the statements nor the
/// fsync take a thread of the cooperative pool.
final class GroupCommitWriter: Sendable {
    private struct Job: Sendable {
        let body: @Sendable (any SQLDatabase) async throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
        var transactions = 0
        var commits = 0
        var session: SQLiteSession?
    }

    private let open: @Sendable () throws -> SQLiteSession
    private let thread: SQLiteThread
    /// At most this many transactions share a commit, which bounds how long a batch holds the writer.
    private let maxBatch: Int
    private let state = Mutex(State())

    init(thread: SQLiteThread, maxBatch: Int = 256, open: @escaping @Sendable () throws -> SQLiteSession) {
        self.thread = thread
        self.maxBatch = maxBatch
        self.open = open
    }

    /// Write transactions committed so far.
    var transactions: Int { state.withLock { $0.transactions } }
    /// Commits made so far (transactions ÷ commits is the batch size).
    var commits: Int { state.withLock { $0.commits } }
    /// Transactions waiting for a batch (not counting the one being committed).
    var waiting: Int { state.withLock { $0.queue.count } }

    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let value = try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state in
                state.queue.append(Job(body: { try await body($0) }, continuation: continuation))
                defer { state.draining = true }
                return !state.draining
            }
            if start { Task(executorPreference: thread) { await self.drain() } }
        }
        guard let result = value as? Result else { preconditionFailure("a batch returned another job's result") }
        return result
    }

    /// Closes the writer connection once no batch runs (at shutdown).
    func close() {
        let session = state.withLock { state in
            defer { state.session = nil }
            return state.session
        }
        session?.handle.close()
        thread.stop()
    }

    /// Commits batches until nobody waits; arrivals during a batch queue up for the next one.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            let outcomes = await commit(batch)
            state.withLock { state in
                state.transactions += batch.count
                state.commits += 1
            }
            for (job, outcome) in zip(batch, outcomes) { job.continuation.resume(with: outcome) }
        }
    }

    private func session() throws -> SQLiteSession {
        if let session = state.withLock({ $0.session }) { return session }
        let session = try open()
        state.withLock { $0.session = session }
        return session
    }

    private func commit(_ batch: [Job]) async -> [Result<any Sendable, any Error>] {
        do {
            let db = try session()
            var outcomes = try await runTogether(batch, on: db)
            if outcomes == nil, batch.count > 1 {
                outcomes = try await runEachInSavepoint(batch, on: db)
            }
            return outcomes ?? []
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    /// Runs the batch as one transaction and commits it; nil when a transaction failed and everything was rolled
    /// back. Alone in its batch, a failing transaction gets its own error.
    private func runTogether(_ batch: [Job], on db: SQLiteSession) async throws -> [Result<any Sendable, any Error>]? {
        try await db.raw("BEGIN IMMEDIATE").run()
        var values: [any Sendable] = []
        do {
            for job in batch { values.append(try await job.body(db)) }
        } catch {
            try await rollBack(db)
            if batch.count == 1 { return [.failure(error)] }
            return nil
        }
        try await commitOrRollBack(db)
        return values.map { .success($0) }
    }

    private func runEachInSavepoint(_ batch: [Job], on db: SQLiteSession) async throws -> [Result<
        any Sendable, any Error
    >] {
        try await db.raw("BEGIN IMMEDIATE").run()
        var outcomes: [Result<any Sendable, any Error>] = []
        do {
            for job in batch {
                try await db.raw("SAVEPOINT closeloop_job").run()
                do {
                    let value = try await job.body(db)
                    try await db.raw("RELEASE closeloop_job").run()
                    outcomes.append(.success(value))
                } catch {
                    // Undo this job's writes only; the others of the batch go on.
                    try await db.raw("ROLLBACK TO closeloop_job").run()
                    try await db.raw("RELEASE closeloop_job").run()
                    outcomes.append(.failure(error))
                }
            }
        } catch {
            try await rollBack(db)
            throw error
        }
        try await commitOrRollBack(db)
        return outcomes
    }

    private func commitOrRollBack(_ db: SQLiteSession) async throws {
        do {
            try await db.raw("COMMIT").run()
        } catch {
            try await rollBack(db)
            throw error
        }
    }

    private func rollBack(_ db: SQLiteSession) async throws {
        if db.handle.inTransaction { try await db.raw("ROLLBACK").run() }
    }
}
