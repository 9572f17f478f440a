import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Where the data lives; shared by every subcommand.
struct DataOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "An SQLite file path or a postgres:// URL (default: $CLOSELOOP_DATABASE or <data-dir>/closeloop.sqlite).",
            valueName: "path-or-url"))
    var database: String?

    @Option(
        name: .long, help: "Directory for the SQLite file and attachments (default: $CLOSELOOP_DATA_DIR or ./data).")
    var dataDir: String?

    /// The environment variables read when the options are not given, and set for a child (`childEnvironment`).
    static let databaseVariable = "CLOSELOOP_DATABASE"
    static let dataDirectoryVariable = "CLOSELOOP_DATA_DIR"

    var dataDirectory: URL {
        URL(fileURLWithPath: dataDir ?? ProcessInfo.processInfo.environment[Self.dataDirectoryVariable] ?? "data")
    }

    var location: DatabaseLocation {
        if let database { return DatabaseLocation(database) }
        if let fromEnvironment = ProcessInfo.processInfo.environment[Self.databaseVariable] {
            return DatabaseLocation(fromEnvironment)
        }
        return .sqlite(path: dataDirectory.appendingPathComponent("closeloop.sqlite").path)
    }

    /// This process's environment naming the database and data directory it opened, for a `closeloop` child that
    /// must open the same ones (`TrainingChild`).
    var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        switch location {
        case .sqlite(let path): environment[Self.databaseVariable] = path
        case .postgres(let url): environment[Self.databaseVariable] = url
        }
        environment[Self.dataDirectoryVariable] = dataDirectory.path
        return environment
    }

    /// Opens the database, migrates it and loads the settings; the caller shuts the database down. With
    /// `readDatabase`, a streaming replica of a PostgreSQL primary, reports, dashboards, exports and searches are read
    /// from it (`ReplicatedDatabase`).
    func services(passwords: Passwords = Passwords(), readDatabase: String? = nil) async throws -> AppServices {
        var database = try location.open()
        if let readDatabase {
            guard case .postgres = location, case .postgres(let url) = DatabaseLocation(readDatabase) else {
                await database.shutdown()
                throw ValidationError(
                    "--read-database needs a postgres:// URL, and the database it copies must be PostgreSQL too.")
            }
            database = ReplicatedDatabase(primary: database, replica: try PostgresDatabase(url: url))
        }
        let services = AppServices(database: database, dataDirectory: dataDirectory, passwords: passwords)
        do {
            try await services.prepare()
        } catch {
            await database.shutdown()
            throw error
        }
        return services
    }
}

extension DataOptions {
    /// Opens the services, runs `body` and closes the database again. What the services refuse is the operator's
    /// mistake: printed field by field, without a stack of Swift types.
    func run<T>(_ body: (AppServices) async throws -> T) async throws -> T {
        do {
            return try await services().using(body)
        } catch DomainError.validation(let issues) {
            throw ValidationError(issues.map { "\($0.field): \($0.message.en)" }.joined(separator: "\n"))
        } catch let error as ConfigurationError {
            throw ValidationError(error.problems.joined(separator: "\n"))
        } catch StoreError.userNotFound(let username) {
            throw ValidationError("no user \(username)")
        }
    }
}
