import ArgumentParser
import CloseloopApp
import CloseloopServer
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Migrate the database and serve the API on HTTP until stopped (SIGINT/SIGTERM).")

    @OptionGroup var data: DataOptions

    @Option(name: .long, help: "Address to listen on.") var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on.") var port = 8080
    @Flag(name: .long, help: "Fill an empty database with demo departments, users and complaints.") var demo = false
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info
    @Option(
        name: .long,
        help: """
            Token a scraper off this machine presents (Authorization: Bearer) to read /metrics; without one only \
            the loopback interface may (default: $CLOSELOOP_METRICS_TOKEN).
            """)
    var metricsToken: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            """
            A streaming replica of the PostgreSQL database (postgres:// URL) to read reports, dashboards, exports and \
            searches from; writes, and a user's reads right after their own writes, stay on the primary (default: \
            $CLOSELOOP_READ_DATABASE).
            """, valueName: "url"))
    var readDatabase: String?

    func run() async throws {
        var logger = Logger(label: "closeloop")
        logger.logLevel = logLevel
        // Before the services exist, so what they record reaches /metrics.
        ServerMetrics.bootstrap()
        let services = try await data.services(
            readDatabase: readDatabase ?? ProcessInfo.processInfo.environment["CLOSELOOP_READ_DATABASE"])
        if demo {
            if try await DemoData(services: services).seedIfEmpty() {
                logger.notice("demo data loaded; every demo user's password is \(DemoData.password)")
            }
        }
        let app = try buildApplication(
            services: services, address: ServerAddress(host: host, port: port),
            metrics: MetricsAccess(
                token: metricsToken ?? ProcessInfo.processInfo.environment["CLOSELOOP_METRICS_TOKEN"]),
            training: .childProcess(
                TrainingChild(executable: TrainingChild.ownExecutable, environment: data.childEnvironment)),
            logger: logger)
        let replica = services.readsFromReplica ? ", reading reports and searches from a replica" : ""
        logger.notice("serving on http://\(host):\(port) with \(data.location.kindDescription)\(replica)")
        try await services.using { _ in try await app.runService() }
    }
}

extension DatabaseLocation {
    var kindDescription: String {
        switch self {
        case .sqlite(let path): "SQLite at \(path)"
        case .postgres: "PostgreSQL"
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
