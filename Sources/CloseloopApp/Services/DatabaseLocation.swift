import CloseloopStore
import Foundation

/// Where the data lives: an SQLite file (the default) or a PostgreSQL URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is an SQLite file path
    /// (an optional `sqlite://` prefix is stripped).
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// Opens a connection pool to it.
    public func open() throws -> any Database {
        switch self {
        case .sqlite(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return SQLiteDatabase(path: path)
        case .postgres(let url):
            return try PostgresDatabase(url: url)
        }
    }
}
