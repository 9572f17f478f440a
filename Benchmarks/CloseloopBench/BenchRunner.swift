@_spi(Tools) import CloseloopApp
import CloseloopServer
import CloseloopStore
import Foundation
import SQLKit

/// Carries out a `BenchPlan`: for each database and size, grow, measure in-process, serve and load over HTTP; then
/// the peer; then write the results. Problems (failed requests, a broken history, a missing measurement) are
/// collected and make the run fail at the end, after the results are written; a timing never does.
struct BenchRunner {
    let plan: BenchPlan
    var measurements: [Measurement] = []
    var problems: [String] = []
    /// How many tickets each peer held when its searches ran.
    var peerTickets: [String: Int] = [:]
    let started = Date()

    init(plan: BenchPlan) { self.plan = plan }

    mutating func runAll() async throws -> Bool {
        try FileManager.default.createDirectory(at: plan.workDirectory, withIntermediateDirectories: true)
        emit("closeloop-bench: reading texts from \(plan.corpusDirectory.path)")
        let corpus = try Corpus.load(from: plan.corpusDirectory)
        emit(
            "  \(corpus.chinese.count) Chinese and \(corpus.english.count) English texts; "
                + "search terms e.g. \(corpus.chineseTerms.prefix(5).joined(separator: " ")) / "
                + "\(corpus.englishTerms.prefix(5).joined(separator: " "))")
        emit(
            "  note: the load generator runs on the same \(ProcessInfo.processInfo.activeProcessorCount) cores as the server"
        )
        for database in plan.databases {
            try await measure(database, corpus: corpus)
        }
        for peer in plan.peers {
            // A peer that cannot be set up is a problem of the run; Closeloop's figures are still written.
            do {
                try await measurePeer(peer, corpus: corpus)
            } catch {
                problems.append("\(peer.rawValue): \(error)")
            }
        }
        try ResultsWriter(plan: plan, measurements: measurements, problems: problems, started: started).write()
        for problem in problems { emit("PROBLEM: \(problem)") }
        return problems.isEmpty
    }

    private mutating func record(_ measurement: Measurement) {
        measurements.append(measurement)
        emit(measurement.line)
    }

    // MARK: - Closeloop

    private mutating func measure(_ database: BenchDatabase, corpus: Corpus) async throws {
        emit("== Closeloop on \(database)")
        if plan.fresh { try await BenchReset.empty(database) }
        let dataDirectory = plan.workDirectory.appendingPathComponent("data-\(database.kind)")
        for size in plan.sizes {
            let context = try await prepare(database, size: size, corpus: corpus, dataDirectory: dataDirectory)
            try await serveAndLoad(database, size: size, corpus: corpus, context: context, dataDirectory: dataDirectory)
        }
    }

    /// What the HTTP phases need from the loaded database.
    struct LoadedContext {
        var ids: [String]
        var departments: [String]
    }

    /// Grows the database, verifies it, and takes the in-process measurements.
    private mutating func prepare(_ database: BenchDatabase, size: Int, corpus: Corpus, dataDirectory: URL) async throws
        -> LoadedContext
    {
        let services = try await database.services(dataDirectory: dataDirectory)
        do {
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let loader = BulkLoader(
                services: services, corpus: corpus, seed: plan.seed, batchSize: plan.batchSize, workers: plan.workers)
            let load = try await loader.grow(to: size, now: now) { emit($0) }
            record(
                Measurement(
                    system: "closeloop", database: database.kind, size: size, name: "bulk load", clients: 1,
                    count: load.complaints, errors: 0, seconds: load.seconds, value: load.rate, unit: "complaints/s",
                    note: "\(load.events) events"))
            let measures = InProcessMeasures(services: services)
            if plan.verify {
                let started = ContinuousClock.now
                let verification = try await services.store.verifyHistory()
                let seconds = (ContinuousClock.now - started).seconds
                if !verification.isIntact {
                    problems.append("verify-history on \(database.kind) at \(size): \(verification.firstBreak!)")
                }
                record(
                    Measurement(
                        system: "closeloop", database: database.kind, size: size, name: "verify-history", clients: 1,
                        count: verification.complaintsChecked, errors: verification.isIntact ? 0 : 1, seconds: seconds,
                        value: seconds, unit: "s",
                        note: verification.isIntact ? "intact, \(verification.eventsChecked) events" : "BROKEN"))
            }
            let pass = try await measures.deadlinePass()
            record(
                Measurement(
                    system: "closeloop", database: database.kind, size: size, name: "deadline pass (1% due)",
                    clients: 1, count: pass.due, errors: 0, seconds: pass.milliseconds / 1000, value: pass.milliseconds,
                    unit: "ms",
                    note: String(
                        format: "%d due of %d open, %.2f ms per due complaint; %d alerts caught up first", pass.due,
                        pass.open, pass.milliseconds / Double(max(pass.due, 1)), pass.caughtUp)))
            if let statistics = try await MonthlyStatistics.time(services) {
                record(
                    Measurement(
                        system: "closeloop", database: database.kind, size: size, name: "monthly statistics",
                        clients: 1, count: 1, errors: 0, seconds: statistics / 1000, value: statistics, unit: "ms",
                        note: "last full month"))
            } else {
                problems.append("monthly statistics not measured on \(database.kind) at \(size)")
            }
            let check = try await MonitoringCheck.time(services)
            record(
                Measurement(
                    system: "closeloop", database: database.kind, size: size, name: "monitoring check", clients: 1,
                    count: 5, errors: 0, seconds: check.p50 / 1000, value: check.p50, unit: "ms",
                    note: String(format: "today's report and alerts; median of 5, first (cold) %.1f ms", check.first)))
            // The figures before the statistics rollup has caught up (every day summed from the complaints), the
            // catching up itself, and the figures as a running server reads them.
            var figures = try await FigureTimings.time(services, state: "live", runs: 3)
            let rollupStarted = ContinuousClock.now
            let backlog = try await services.store.changedSlotCount()
            try await services.rollup.catchUp()
            let rollupSeconds = (ContinuousClock.now - rollupStarted).seconds
            record(
                Measurement(
                    system: "closeloop", database: database.kind, size: size, name: "statistics rollup, from scratch",
                    clients: 1, count: backlog, errors: 0, seconds: rollupSeconds, value: rollupSeconds, unit: "s",
                    note: "\(backlog) quarter hours marked, every past day rolled up"))
            figures += try await FigureTimings.time(services, state: "rolled up")
            for figure in figures {
                record(
                    Measurement(
                        system: "closeloop", database: database.kind, size: size, name: figure.name, clients: 1,
                        count: figure.runs, errors: 0, seconds: figure.p50 / 1000, value: figure.p99, unit: "ms",
                        note: String(
                            format: "p50 %.1f ms, p99 %.1f ms over %d runs", figure.p50, figure.p99, figure.runs)))
            }
            let context = LoadedContext(
                ids: try await measures.sampleIDs(2_000), departments: try await measures.departments())
            await services.store.database.shutdown()
            return context
        } catch {
            await services.store.database.shutdown()
            throw error
        }
    }

    /// Starts `closeloop serve`, runs the HTTP phases, and records memory and the database's size.
    private mutating func serveAndLoad(
        _ database: BenchDatabase, size: Int, corpus: Corpus, context: LoadedContext, dataDirectory: URL
    ) async throws {
        let arguments = ["--database", database.argument, "--data-dir", dataDirectory.path]
        let token =
            try CloseloopTool.run(plan.closeloop, ["user", "token", Organisation.benchUser] + arguments)
            .split(separator: "\n").last.map(String.init) ?? ""
        let server = try await startServer(database, size: size, dataDirectory: dataDirectory, log: "")
        defer { server.stop() }
        try await Task.sleep(for: .seconds(2))
        recordMemory(server, database: database, size: size, name: "server RSS idle")
        guard !context.ids.isEmpty, !context.departments.isEmpty else {
            problems.append("no complaints loaded on \(database.kind) at \(size)")
            return
        }
        let workload = CloseloopWorkload(
            baseURL: server.baseURL, token: token, corpus: corpus, sampleIDs: context.ids,
            departments: context.departments, seed: plan.seed)
        // Each list twice, whole (`view=full`, the answer before summaries) and summarized: the A/B in one run.
        let reads: [WorkloadKind] = [
            .queueFull, .queue, .page, .get, .searchChineseFull, .searchChinese, .searchEnglishFull, .searchEnglish,
        ]
        for kind in reads {
            for clients in plan.readConcurrency {
                await phase(kind, clients: clients, shape: plan.read, database: database, size: size) { session in
                    workload.operation(kind, session: session)
                }
            }
        }
        printSummaryGain(database: database, size: size)
        for clients in plan.concurrency {
            await phase(.intake, clients: clients, shape: plan.intake, database: database, size: size) { session in
                workload.operation(.intake, session: session)
            }
        }
        recordMemory(
            server, database: database, size: size, name: "server RSS after intake",
            note: "after \(plan.concurrency.last ?? 0)-client intake")
        if database.kind == "postgres" {
            try await intakeOnTwoInstances(
                database, size: size, beside: workload, corpus: corpus, context: context, token: token,
                dataDirectory: dataDirectory)
        }
        server.stop()
        let services = try await database.services(dataDirectory: dataDirectory)
        let measures = InProcessMeasures(services: services)
        let bytes = try await measures.databaseBytes(database)
        for gap in try await measures.numberingGaps() {
            problems.append("numbers on \(database.kind) at \(size) are not 1…n: \(gap)")
        }
        let count = try await ComplaintCount.of(services.store)
        await services.store.database.shutdown()
        record(
            Measurement(
                system: "closeloop", database: database.kind, size: size, name: "database size", clients: 1,
                count: count, errors: 0, seconds: 0, value: Double(bytes) / 1_048_576 / (Double(count) / 100_000),
                unit: "MB per 100k",
                note: String(format: "%.1f MB for %d complaints", Double(bytes) / 1_048_576, count)))
    }

    /// `closeloop serve` on `database`, logging to `serve-<kind>-<size><log>.log` in the work directory.
    private func startServer(_ database: BenchDatabase, size: Int, dataDirectory: URL, log suffix: String)
        async throws -> ServerProcess
    {
        let log = plan.workDirectory.appendingPathComponent("serve-\(database.kind)-\(size)\(suffix).log")
        let control = HTTPSession()
        do {
            let server = try await ServerProcess.start(
                executable: plan.closeloop, database: database, dataDirectory: dataDirectory, log: log,
                session: control)
            await control.shutdown()
            return server
        } catch {
            await control.shutdown()
            throw error
        }
    }

    /// Intake with a second server on the same database, each client's requests alternating between the two: what
    /// scaling out adds when the instances share one PostgreSQL (issue 16 item 1).
    private mutating func intakeOnTwoInstances(
        _ database: BenchDatabase, size: Int, beside first: CloseloopWorkload, corpus: Corpus,
        context: LoadedContext, token: String, dataDirectory: URL
    ) async throws {
        let server = try await startServer(database, size: size, dataDirectory: dataDirectory, log: "-second")
        defer { server.stop() }
        let second = CloseloopWorkload(
            baseURL: server.baseURL, token: token, corpus: corpus, sampleIDs: context.ids,
            departments: context.departments, seed: plan.seed)
        for clients in plan.concurrency {
            await phase(.intakeTwoInstances, clients: clients, shape: plan.intake, database: database, size: size) {
                session in
                let onFirst = first.operation(.intake, session: session)
                let onSecond = second.operation(.intake, session: session)
                return { client, index in
                    index.isMultiple(of: 2) ? await onFirst(client, index) : await onSecond(client, index)
                }
            }
        }
    }

    private mutating func recordMemory(
        _ server: ServerProcess, database: BenchDatabase, size: Int, name: String, note: String = ""
    ) {
        guard let memory = server.memory() else {
            problems.append("could not read the server's memory (\(name))")
            return
        }
        record(
            Measurement(
                system: "closeloop", database: database.kind, size: size, name: name, clients: 0, count: 1, errors: 0,
                seconds: 0, value: memory.rss, unit: "MB",
                note: String(format: "VmHWM %.1f MB", memory.peak) + (note.isEmpty ? "" : "; \(note)")))
    }

    /// Runs one HTTP phase with its own client and records it; a failed request is a problem of the run.
    private mutating func phase(
        _ kind: WorkloadKind, clients: Int, shape: LoadPhase, database: BenchDatabase, size: Int,
        system: String = "closeloop", note: String = "",
        operation: (HTTPSession) -> (@Sendable (Int, Int) async -> String?)
    ) async {
        let session = HTTPSession()
        var load = shape
        load.clients = clients
        let (latencies, seconds) = await load.run(operation(session))
        await session.shutdown()
        record(
            Measurement(
                system: system, database: database.kind, size: size, name: kind.rawValue, clients: clients,
                count: latencies.samples.count, errors: latencies.errors, seconds: seconds,
                throughput: Double(latencies.samples.count) / max(seconds, 0.001), p50: latencies.percentile(50),
                p95: latencies.percentile(95), p99: latencies.percentile(99), unit: "ms",
                note: String(format: "load1 %.1f", SystemLoad.oneMinute()) + (note.isEmpty ? "" : "; \(note)")))
        if latencies.errors > 0 {
            problems.append(
                "\(system) \(kind.rawValue) c=\(clients) on \(database.kind) at \(size): \(latencies.errors) failed, e.g. "
                    + latencies.errorSamples.joined(separator: " | "))
        }
        if latencies.samples.isEmpty {
            problems.append("\(system) \(kind.rawValue) c=\(clients): no successful request")
        }
    }

    // MARK: - Peers

    private mutating func measurePeer(_ peer: PeerKind, corpus: Corpus) async throws {
        let setup = plan.peerSetups[peer] ?? peer.defaultSetup
        emit("== \(peer.rawValue) (\(setup)), same texts and concurrency, \(Int(plan.peerSeconds)) s per phase")
        try PeerSetup.run(setup, log: plan.workDirectory.appendingPathComponent("\(peer.rawValue)-setup.log"))
        let workload: any PeerWorkload =
            switch peer {
            case .rt: try RTWorkload.fromState(corpus: corpus, seed: plan.seed)
            case .djangoHelpdesk: try HelpdeskWorkload.fromState(corpus: corpus, seed: plan.seed)
            }
        let peerDatabase = BenchDatabase("postgres://\(peer.rawValue)")
        let shape = LoadPhase(clients: 1, maxRequests: 1_000_000, maxSeconds: plan.peerSeconds)
        for kind in workload.kinds {
            for clients in plan.concurrency {
                let session = HTTPSession()
                let headers = try await workload.signIn(clients: clients, session: session)
                // The searches name how many tickets they searched, beside their figures.
                var tickets: Int?
                if kind == .searchChinese || kind == .searchEnglish {
                    tickets = try await workload.ticketCount(headers: headers[0], session: session)
                    peerTickets[workload.system] = tickets
                }
                await session.shutdown()
                await phase(
                    kind, clients: clients, shape: shape, database: peerDatabase, size: 0, system: workload.system,
                    note: tickets.map { "\($0) tickets" } ?? ""
                ) { session in
                    workload.operation(kind, headers: headers, session: session)!
                }
            }
        }
        printComparison(with: workload)
    }

    /// Why a Closeloop line has no ratio against `theirs`, or nil when the ratio means something: never against a
    /// peer phase that failed a request, nor against searches of an empty peer (they find nothing, fast).
    static func noRatio(against theirs: Measurement, peer: String, peerTickets: Int?) -> String? {
        if theirs.errors > 0 { return "\(peer) failed \(theirs.errors) of \(theirs.count + theirs.errors) requests" }
        if theirs.count == 0 { return "\(peer) answered no request" }
        let searches = [WorkloadKind.searchChinese.rawValue, WorkloadKind.searchEnglish.rawValue]
        if searches.contains(theirs.name), peerTickets ?? 0 == 0 { return "\(peer) held no ticket to search" }
        return nil
    }

    /// Summary lists ÷ the same lists whole, per concurrency: what reading lists from their columns gained.
    private func printSummaryGain(database: BenchDatabase, size: Int) {
        emit("== Lists as summaries / whole (view=full) on \(database.kind) at \(size), same server and data")
        for before in measurements
        where before.system == "closeloop" && before.database == database.kind && before.size == size {
            guard let kind = WorkloadKind(rawValue: before.name), let summary = kind.summaryOf,
                let after = measurements.first(where: {
                    $0.system == "closeloop" && $0.database == database.kind && $0.size == size
                        && $0.name == summary.rawValue && $0.clients == before.clients
                }),
                let fast = after.throughput, let slow = before.throughput, slow > 0, let p99 = after.p99,
                let p99Before = before.p99
            else { continue }
            emit(
                String(
                    format: "%@ c=%d: %.0f/s vs %.0f/s = ×%.2g throughput; p99 %.1f vs %.1f ms", summary.rawValue,
                    before.clients, fast, slow, fast / slow, p99, p99Before))
        }
    }

    /// Closeloop ÷ the peer for every line with a counterpart: throughput and median latency.
    private func printComparison(with peer: any PeerWorkload) {
        emit("== Closeloop / \(peer.title) (same machine, 2 cores shared by load generator, server and database)")
        for ours in measurements where ours.system == "closeloop" && ours.value == nil {
            guard
                let theirs = measurements.first(where: {
                    $0.system == peer.system && $0.name == ours.name && $0.clients == ours.clients
                })
            else { continue }
            if let reason = Self.noRatio(against: theirs, peer: peer.title, peerTickets: peerTickets[peer.system]) {
                emit("\(ours.system) \(ours.database) \(ours.size) \(ours.name) c=\(ours.clients): no ratio, \(reason)")
                continue
            }
            guard let mine = ours.throughput, let theirRate = theirs.throughput, theirRate > 0,
                let myMedian = ours.p50, let theirMedian = theirs.p50
            else { continue }
            emit(
                String(
                    format: "%@ %@ %d %@ c=%d: %.0f/s vs %.1f/s = ×%.2g throughput; p50 %.2f vs %.1f ms",
                    ours.system, ours.database, ours.size, ours.name, ours.clients, mine, theirRate, mine / theirRate,
                    myMedian, theirMedian))
        }
    }
}

/// Empties a benchmark database: the SQLite file goes, PostgreSQL's public schema is dropped and recreated.
enum BenchReset {
    static func empty(_ database: BenchDatabase) async throws {
        switch database.location {
        case .sqlite(let path):
            for file in [path, path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
        case .postgres(let url):
            let connection = try PostgresDatabase(url: url)
            do {
                try await connection.transaction { db in
                    try await db.raw("DROP SCHEMA public CASCADE").run()
                    try await db.raw("CREATE SCHEMA public").run()
                }
                await connection.shutdown()
            } catch {
                await connection.shutdown()
                throw error
            }
        }
    }
}

/// The machine's one-minute load average, printed beside HTTP phases: the load generator, the server and the
/// database share the cores, and anything else running shows here.
enum SystemLoad {
    static func oneMinute() -> Double {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.flatMap { Double($0) } ?? 0
    }
}
