import ArgumentParser
@_spi(Tools) import CloseloopApp
import CloseloopServer
import CloseloopStore
import Foundation

/// `closeloop-bench generate`: adds N generated complaints to a database through the bulk path and prints the rate.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate complaints from the real texts in --data and bulk-load them (alias: load).",
        aliases: ["load"])

    @OptionGroup var common: CommonOptions
    @Option(name: .long, help: "sqlite:PATH, a bare SQLite path, or a postgres:// URL.") var database: String
    @Option(name: [.customShort("n"), .long], help: "How many complaints to add.") var count: Int
    @Flag(name: .long, help: "Check every history chain afterwards (what `closeloop verify-history` does).")
    var verify = false

    func run() async throws {
        let target = BenchDatabase(database)
        let corpus = try common.loadCorpus()
        let services = try await target.services(dataDirectory: common.scratchDirectory)
        do {
            let loader = BulkLoader(
                services: services, corpus: corpus, seed: common.seed, batchSize: common.batchSize,
                workers: common.workers)
            let existing = try await ComplaintCount.of(services.store)
            let report = try await loader.grow(to: existing + count, now: common.now) { emit($0) }
            emit(
                "loaded \(report.complaints) complaints (\(report.events) events) into \(target) in "
                    + String(format: "%.1f s: %.0f complaints/s", report.seconds, report.rate))
            if verify {
                let result = try await services.store.verifyHistory()
                emit(
                    result.isIntact
                        ? "history intact: \(result.complaintsChecked) complaints, \(result.eventsChecked) events"
                        : "history BROKEN at \(result.firstBreak!)")
                if !result.isIntact { throw ExitCode(1) }
            }
            await services.store.database.shutdown()
        } catch {
            await services.store.database.shutdown()
            throw error
        }
    }
}

/// Options every command shares: where the texts are, the seed, the end of the generated two years.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The shared data folder with the complaint texts (default ../shared/data).")
    var data = "../shared/data"
    @Option(name: .long, help: "Seed of the generated stream; the same seed gives the same complaints.")
    var seed: UInt64 = 20_261_125
    @Option(name: .customLong("now"), help: "End of the two years the complaints span, ISO 8601 (default: now).")
    var nowText: String?
    @Option(name: .long, help: "Complaints per load transaction.") var batchSize = 2_000
    @Option(name: .long, help: "Tasks building complaints in parallel.") var workers = 2

    func loadCorpus() throws -> Corpus {
        try Corpus.load(from: URL(fileURLWithPath: data))
    }

    var now: Date {
        if let nowText, let date = ISO8601DateFormatter().date(from: nowText) { return date }
        // Whole seconds, so every instant derived from it is a whole millisecond.
        return Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    }

    /// Attachments directory for in-process services (the benchmark writes none).
    var scratchDirectory: URL {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("closeloop-bench")
    }
}
