import ArgumentParser
import CloseloopApp
import CloseloopServer
import CloseloopStore
import Foundation

/// Where the data lives; shared by every subcommand.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "An SQLite file path or a postgres:// URL (default: $CLOSELOOP_DATABASE or <data-dir>/closeloop.sqlite).",
            valueName: "path-or-url"))
    var database: String?

    @Option(
        name: .long, help: "Directory for the SQLite file and attachments (default: $CLOSELOOP_DATA_DIR or ./data).")
    var dataDir: String?

    var dataDirectory: URL {
        URL(fileURLWithPath: dataDir ?? ProcessInfo.processInfo.environment["CLOSELOOP_DATA_DIR"] ?? "data")
    }

    var location: DatabaseLocation {
        if let database { return DatabaseLocation(database) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["CLOSELOOP_DATABASE"] {
            return DatabaseLocation(fromEnvironment)
        }
        return .sqlite(path: dataDirectory.appendingPathComponent("closeloop.sqlite").path)
    }

    /// Opens the database, migrates it and loads the settings; the caller shuts the database down.
    func services(passwords: Passwords = Passwords()) async throws -> AppServices {
        let database = try location.open()
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

extension AppServices {
    /// Runs `body` and always closes the database afterwards.
    func using<T>(_ body: (AppServices) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await store.database.shutdown()
            return result
        } catch {
            await store.database.shutdown()
            throw error
        }
    }
}
