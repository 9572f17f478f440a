@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation
import SQLKit

/// Grows a database to a target size through the store's bulk path: complaints numbered on from each year's counter,
/// built and encoded on every core while the previous batch is being written, one transaction per batch (which moves
/// the counters over its numbers, so a load stopped part-way leaves no gap).
struct BulkLoader: Sendable {
    let services: AppServices
    let corpus: Corpus
    let seed: UInt64
    var batchSize = 2_000
    var workers = 2

    /// What a load did.
    struct Report: Sendable {
        var complaints: Int
        var events: Int
        var seconds: Double
        var rate: Double { seconds > 0 ? Double(complaints) / seconds : 0 }
    }

    /// Adds complaints until the database holds `target`; `now` is the end of the two years they span.
    func grow(to target: Int, now: Date, log: @Sendable (String) -> Void) async throws -> Report {
        let store = services.store
        let existing = try await ComplaintCount.of(store)
        guard target > existing else { return Report(complaints: 0, events: 0, seconds: 0) }
        let organisation = try await Organisation.ensure(in: services)
        let (policy, calendar) = await services.settings.current()
        let generator = ComplaintGenerator(
            corpus: corpus, organisation: organisation, policy: policy, calendar: calendar,
            alertPolicy: await services.settings.alertPolicy(), now: now, seed: seed)
        // Complaints created over HTTP also count, so the stream continues after the highest index ever used.
        let first = existing
        let indices = first..<(first + target - existing)
        let sequences = try await numbers(for: indices, generator: generator)
        let started = ContinuousClock.now
        var written = 0
        var events = 0
        var lastReport = started
        var pending: Task<BulkBatch, any Error>?
        var batchStart = indices.lowerBound
        while batchStart < indices.upperBound || pending != nil {
            var next: Task<BulkBatch, any Error>?
            if batchStart < indices.upperBound {
                let range = batchStart..<min(batchStart + batchSize, indices.upperBound)
                let offset = indices.lowerBound
                let slice = Array(sequences[(range.lowerBound - offset)..<(range.upperBound - offset)])
                next = Task { [workers] in
                    try await Self.build(range, sequences: slice, generator: generator, store: store, workers: workers)
                }
                batchStart = range.upperBound
            }
            if let pending {
                let batch = try await pending.value
                try await store.insert(batch)
                written += batch.complaintCount
                events += batch.eventCount
                if ContinuousClock.now - lastReport > .seconds(10) {
                    lastReport = ContinuousClock.now
                    let seconds = (lastReport - started).seconds
                    log(
                        "  loaded \(existing + written) / \(target) complaints, "
                            + "\(Int(Double(written) / seconds)) complaints/s, \(Int(Double(events) / seconds)) events/s"
                    )
                }
            }
            pending = next
        }
        if store.database.dialect == .postgres {
            // What autovacuum would have done long before a real table reached this size.
            try await store.database.read { db in try await db.raw("ANALYZE").run() }
        }
        return Report(complaints: written, events: events, seconds: (ContinuousClock.now - started).seconds)
    }

    /// Numbers for every index, in index order within each year, on from the server's counters; each batch's
    /// transaction takes its own (`SQLStore.insert`), and the server is stopped meanwhile.
    private func numbers(for indices: Range<Int>, generator: ComplaintGenerator) async throws -> [Int] {
        let years = indices.map { generator.receipt(of: $0).year }
        var next: [Int: Int] = [:]
        for year in Set(years).sorted() { next[year] = try await services.store.nextSequence(year: year) }
        return years.map { year in
            defer { next[year]! += 1 }
            return next[year]!
        }
    }

    /// Builds and encodes one batch, split over `workers` tasks.
    private static func build(
        _ range: Range<Int>, sequences: [Int], generator: ComplaintGenerator, store: SQLStore, workers: Int
    ) async throws -> BulkBatch {
        let chunk = (range.count + workers - 1) / max(workers, 1)
        return try await withThrowingTaskGroup(of: (Int, BulkBatch).self) { group in
            for part in 0..<workers {
                let lower = range.lowerBound + part * chunk
                let upper = min(lower + chunk, range.upperBound)
                guard lower < upper else { continue }
                group.addTask {
                    let complaints = try (lower..<upper).map { index in
                        try generator.complaint(index, sequence: sequences[index - range.lowerBound])
                    }
                    return (part, try store.prepare(complaints))
                }
            }
            var parts: [(Int, BulkBatch)] = []
            for try await part in group { parts.append(part) }
            var batch = BulkBatch()
            for (_, part) in parts.sorted(by: { $0.0 < $1.0 }) { batch.append(contentsOf: part) }
            return batch
        }
    }
}

/// How many complaints a database holds.
enum ComplaintCount {
    static func of(_ store: SQLStore) async throws -> Int {
        try await store.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM complaints").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
