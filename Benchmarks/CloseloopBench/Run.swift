import ArgumentParser
import CloseloopApp
import CloseloopServer
import CloseloopStore
import Foundation
import SQLKit

/// `closeloop-bench run`: grows each database to each size and measures (Benchmarks/README.md).
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Grow SQLite (and PostgreSQL) to each size and measure Closeloop; then the peers (--peer rt,django-helpdesk)."
    )

    @OptionGroup var common: CommonOptions
    @Flag(name: .long, help: "Small and fast (N=2,000, sizes 1000,2000, short phases, no peer): proves it works.")
    var quick = false
    @Option(name: .long, help: "Sizes to grow to and measure at, comma-separated.") var sizes = "10000,100000,1000000"
    @Option(name: .long, help: "Concurrent clients per HTTP phase, comma-separated.") var concurrency = "1,8,32"
    @Flag(name: .long, help: "Leave SQLite out.") var skipSqlite = false
    @Option(name: .long, help: "The SQLite file to grow (default <work-dir>/bench.sqlite).") var sqlite: String?
    @Option(name: .long, help: "A postgres:// URL to measure too; its public schema is reset unless --keep.")
    var postgres: String?
    @Flag(name: .long, help: "Keep what the databases hold instead of starting empty.") var keep = false
    @Option(name: .long, help: "Peers to measure after Closeloop, comma-separated: rt, django-helpdesk.")
    var peer: String?
    @Option(name: .long, help: "Request Tracker's setup script (idempotent, run as root).")
    var rtSetup = PeerKind.rt.defaultSetup
    @Option(name: .long, help: "django-helpdesk's setup script (idempotent, run as root).")
    var helpdeskSetup = PeerKind.djangoHelpdesk.defaultSetup
    @Option(name: .long, help: "Seconds per intake phase (at most --intake-max creates).") var intakeSeconds: Double =
        15
    @Option(name: .long, help: "Creates per intake phase at most.") var intakeMax = 5_000
    @Option(name: .long, help: "Seconds per read phase (at most --read-max requests).") var readSeconds: Double = 8
    @Option(name: .long, help: "Requests per read phase at most.") var readMax = 5_000
    @Option(name: [.customLong("peer-seconds"), .customLong("rt-seconds")], help: "Seconds per peer phase.")
    var peerSeconds: Double = 20
    @Flag(name: .long, inversion: .prefixedNo, help: "Check every history chain after each load.") var verify = true
    @Option(name: .long, help: "The closeloop executable (default: next to this one).") var closeloop: String?
    @Option(name: .long, help: "Scratch folder for databases, logs and attachments.") var workDir =
        "Benchmarks/results/work"
    @Option(name: .long, help: "Where the markdown and JSON results go.") var results = "Benchmarks/results"

    func run() async throws {
        await ChildServers.stopOnSignals()
        let plan = try BenchPlan(self)
        var runner = BenchRunner(plan: plan)
        let ok = try await runner.runAll()
        if !ok { throw ExitCode(1) }
    }
}

/// The settings of one `run`, after --quick has applied its defaults.
struct BenchPlan: Sendable {
    var sizes: [Int]
    var concurrency: [Int]
    var readConcurrency: [Int]
    var databases: [BenchDatabase]
    var peers: [PeerKind]
    var peerSetups: [PeerKind: String]
    var intake: LoadPhase
    var read: LoadPhase
    var peerSeconds: Double
    var verify: Bool
    var fresh: Bool
    var quick: Bool
    var closeloop: URL
    var workDirectory: URL
    var resultsDirectory: URL
    var corpusDirectory: URL
    var seed: UInt64
    var batchSize: Int
    var workers: Int

    init(_ options: Run) throws {
        func list(_ text: String) -> [Int] {
            text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        quick = options.quick
        sizes = options.quick ? [1_000, 2_000] : list(options.sizes)
        concurrency = list(options.concurrency)
        readConcurrency = options.quick ? [1, 8] : concurrency
        intake = LoadPhase(
            clients: 1, maxRequests: options.quick ? 200 : options.intakeMax,
            maxSeconds: options.quick ? 1.5 : options.intakeSeconds)
        read = LoadPhase(
            clients: 1, maxRequests: options.quick ? 200 : options.readMax,
            maxSeconds: options.quick ? 1 : options.readSeconds)
        var peers: [PeerKind] = []
        for name in options.quick ? [] : (options.peer ?? "").split(separator: ",") {
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let peer = PeerKind(rawValue: name) else {
                throw ValidationError("unknown peer \(name): rt or django-helpdesk")
            }
            peers.append(peer)
        }
        self.peers = peers
        peerSetups = [.rt: options.rtSetup, .djangoHelpdesk: options.helpdeskSetup]
        peerSeconds = options.peerSeconds
        verify = options.verify
        fresh = !options.keep
        workDirectory = URL(fileURLWithPath: options.workDir)
        resultsDirectory = URL(fileURLWithPath: options.results)
        corpusDirectory = URL(fileURLWithPath: options.common.data)
        seed = options.common.seed
        batchSize = options.common.batchSize
        workers = options.common.workers
        var databases: [BenchDatabase] = []
        if !options.skipSqlite {
            databases.append(
                BenchDatabase("sqlite:" + (options.sqlite ?? workDirectory.appendingPathComponent("bench.sqlite").path))
            )
        }
        if let postgres = options.postgres { databases.append(BenchDatabase(postgres)) }
        self.databases = databases
        closeloop =
            options.closeloop.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "closeloop")
        guard FileManager.default.isExecutableFile(atPath: closeloop.path) else {
            throw BenchError.failed(
                "no closeloop executable at \(closeloop.path): build it (swift build --product closeloop)")
        }
        guard !sizes.isEmpty, !concurrency.isEmpty, !databases.isEmpty else {
            throw BenchError.failed("nothing to measure: give --sizes, --concurrency and at least one database")
        }
    }
}
