import Logging
import SQLKit

/// Group commit for the single SQLite writer (ARCHITECTURE: "the writer batches concurrent write transactions into
/// one commit"). Transactions that arrive while a commit is being made wait together; the next batch runs them one
/// after another inside one `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint, so each caller still gets its own
/// result or error, and the batch costs one fsync instead of one per transaction. A caller hears of success only
/// after the COMMIT is durable; if the COMMIT fails, every caller of the batch gets the error and nothing was kept.
actor GroupCommitWriter {
    private struct Job: Sendable {
        let body: @Sendable (any SQLDatabase) async throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private let connections: PooledConnections<TunedSQLiteSource>
    /// At most this many transactions share a commit, which bounds how long a batch holds the writer.
    private let maxBatch: Int
    private var queue: [Job] = []
    private var draining = false
    private(set) var transactions = 0
    private(set) var commits = 0

    init(connections: PooledConnections<TunedSQLiteSource>, maxBatch: Int = 256) {
        self.connections = connections
        self.maxBatch = maxBatch
    }

    /// Transactions waiting for a batch (not counting the one being committed).
    var waiting: Int { queue.count }

    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let value = try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(body: { try await body($0) }, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
        guard let result = value as? Result else { preconditionFailure("a batch returned another job's result") }
        return result
    }

    /// Commits batches until nobody waits. The actor is re-entered while a batch runs, so arrivals queue up for
    /// the next one.
    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            let outcomes = await commit(batch)
            transactions += batch.count
            commits += 1
            for (job, outcome) in zip(batch, outcomes) { job.continuation.resume(with: outcome) }
        }
        draining = false
    }

    private func commit(_ batch: [Job]) async -> [Result<any Sendable, any Error>] {
        do {
            return try await connections.withConnection { db in
                try await db.raw("BEGIN IMMEDIATE").run()
                do {
                    var outcomes: [Result<any Sendable, any Error>] = []
                    if batch.count == 1, let job = batch.first {
                        // Alone in its batch, a transaction needs no savepoint: its failure rolls back the batch.
                        let value = try await job.body(db)
                        try await db.raw("COMMIT").run()
                        return [.success(value)]
                    }
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
                    try await db.raw("COMMIT").run()
                    return outcomes
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }
}
