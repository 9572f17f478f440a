import CloseloopApp
import CloseloopServer
import CloseloopStore
import Foundation

/// A database named on the command line: `sqlite:PATH` (or a bare path) or a `postgres://` URL.
struct BenchDatabase: Sendable, CustomStringConvertible {
    let location: DatabaseLocation

    init(_ text: String) {
        location = DatabaseLocation(text)
    }

    /// The `--database` argument the `closeloop` executable takes.
    var argument: String {
        switch location {
        case .sqlite(let path): path
        case .postgres(let url): url
        }
    }

    var kind: String {
        switch location {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    var description: String {
        switch location {
        case .sqlite(let path): "SQLite \(path)"
        case .postgres(let url): "PostgreSQL \(BenchDatabase.redacted(url))"
        }
    }

    /// Opens it, migrates it and loads the settings, as `closeloop` does before serving.
    func services(dataDirectory: URL) async throws -> AppServices {
        let services = AppServices(database: try location.open(), dataDirectory: dataDirectory)
        try await services.prepare()
        return services
    }

    private static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        if components.password != nil { components.password = "***" }
        return components.string ?? url
    }
}
