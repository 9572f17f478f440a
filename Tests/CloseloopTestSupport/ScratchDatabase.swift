import CloseloopStore
import Foundation
import SQLKit

/// The databases the store and server suites run against. Each test takes one as its argument, so the same cases run
/// on SQLite (a temporary file per test) and on PostgreSQL (a database of its own per test).
///
/// PostgreSQL runs when `CLOSELOOP_TEST_POSTGRES_URL` names a server, e.g.
/// `postgres://postgres@127.0.0.1:55432/closeloop_test?sslmode=disable` (start one with
/// `scripts/postgres-test-cluster.sh start DIR PORT`). With `CLOSELOOP_REQUIRE_POSTGRES=1` and no URL, every
/// PostgreSQL case fails instead of being left out.
public enum DatabaseKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public static let postgresURLVariable = "CLOSELOOP_TEST_POSTGRES_URL"
    public static let requirePostgresVariable = "CLOSELOOP_REQUIRE_POSTGRES"

    public var description: String { rawValue }

    /// SQLite always; PostgreSQL when a server is given or required.
    public static var available: [DatabaseKind] {
        postgresURL != nil || postgresRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    public static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty else { return nil }
        return url
    }

    public static var postgresRequired: Bool {
        ProcessInfo.processInfo.environment[requirePostgresVariable] == "1"
    }
}

/// Why a scratch database could not be opened.
public enum ScratchDatabaseError: Error, CustomStringConvertible {
    case postgresURLMissing
    case badPostgresURL(String)

    public var description: String {
        switch self {
        case .postgresURLMissing:
            "\(DatabaseKind.requirePostgresVariable)=1 but \(DatabaseKind.postgresURLVariable) is not set; start a "
                + "server with scripts/postgres-test-cluster.sh and set it to e.g. "
                + "postgres://postgres@127.0.0.1:55432/closeloop_test?sslmode=disable"
        case .badPostgresURL(let url): "\(DatabaseKind.postgresURLVariable) is not a usable URL: \(url)"
        }
    }
}

/// An empty database and data directory that exist for one test and are thrown away after it.
public struct ScratchDatabase: Sendable {
    public let database: any Database
    /// Where attachments are written.
    public let dataDirectory: URL
    /// Shuts the database down and removes it (the file, or the PostgreSQL database) and the data directory.
    public let dispose: @Sendable () async -> Void
    /// Opens the same database again, as a second server instance would (the caller shuts it down).
    public let openAnother: @Sendable () throws -> any Database
    /// The PostgreSQL database's name (nil for SQLite), to find its copy on a read replica.
    public var postgresName: String? = nil

    public static func make(_ kind: DatabaseKind) async throws -> ScratchDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("closeloop-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            switch kind {
            case .sqlite:
                let path = directory.appendingPathComponent("closeloop.sqlite").path
                let database = SQLiteDatabase(path: path)
                return ScratchDatabase(
                    database: database, dataDirectory: directory,
                    dispose: {
                        await database.shutdown()
                        try? FileManager.default.removeItem(at: directory)
                    }, openAnother: { SQLiteDatabase(path: path) })
            case .postgres:
                let (database, url, drop) = try await postgres()
                return ScratchDatabase(
                    database: database, dataDirectory: directory,
                    dispose: {
                        await database.shutdown()
                        await drop()
                        try? FileManager.default.removeItem(at: directory)
                    }, openAnother: { try PostgresDatabase(url: url, connectionsPerLoop: 2) },
                    postgresName: URLComponents(string: url).map { String($0.path.dropFirst()) })
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Creates `closeloop_t_<uuid>` through the server's `postgres` database and returns a pool on it and its URL, with
    /// the function that drops it again.
    private static func postgres() async throws -> (any Database, String, @Sendable () async -> Void) {
        guard let serverURL = DatabaseKind.postgresURL else { throw ScratchDatabaseError.postgresURLMissing }
        guard var components = URLComponents(string: serverURL) else {
            throw ScratchDatabaseError.badPostgresURL(serverURL)
        }
        let name = "closeloop_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        components.path = "/postgres"
        guard let adminURL = components.string else { throw ScratchDatabaseError.badPostgresURL(serverURL) }
        components.path = "/" + name
        guard let testURL = components.string else { throw ScratchDatabaseError.badPostgresURL(serverURL) }

        let server = try PostgresDatabase(url: adminURL, connectionsPerLoop: 1)
        do {
            try await server.read { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
        } catch {
            await server.shutdown()
            throw error
        }
        let drop: @Sendable () async -> Void = {
            try? await server.read { try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
            await server.shutdown()
        }
        do {
            return (try PostgresDatabase(url: testURL, connectionsPerLoop: 2), testURL, drop)
        } catch {
            await drop()
            throw error
        }
    }
}
