import CloseloopStore
import Foundation
import SQLKit

/// The streaming replica of the test PostgreSQL cluster that `scripts/test.sh` starts with pg_basebackup
/// (`CLOSELOOP_TEST_REPLICA_URL`, the replica server's `postgres` database): a scratch database created on the
/// primary appears on it, a moment later.
public struct ReadReplica: Sendable {
    public static let urlVariable = "CLOSELOOP_TEST_REPLICA_URL"

    /// Whether the tests of reading from a replica can run here.
    public static var isAvailable: Bool { url != nil && DatabaseKind.postgresURL != nil }

    static var url: String? {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else { return nil }
        return url
    }

    let primaryServer: PostgresDatabase
    let replicaServer: PostgresDatabase
    /// A pool on the replica's copy of the scratch database.
    public let database: PostgresDatabase

    /// Opens the replica's copy of the scratch database named `name`, once the replica has replayed its creation.
    public static func open(copyOf name: String) async throws -> ReadReplica {
        guard let replicaURL = url, let primaryURL = DatabaseKind.postgresURL,
            var replica = URLComponents(string: replicaURL), var primary = URLComponents(string: primaryURL)
        else { throw ScratchDatabaseError.postgresURLMissing }
        replica.path = "/postgres"
        primary.path = "/postgres"
        let replicaServer = try PostgresDatabase(url: replica.string!, connectionsPerLoop: 1)
        let primaryServer = try PostgresDatabase(url: primary.string!, connectionsPerLoop: 1)
        replica.path = "/" + name
        let copy = ReadReplica(
            primaryServer: primaryServer, replicaServer: replicaServer,
            database: try PostgresDatabase(url: replica.string!, connectionsPerLoop: 2))
        try await copy.caughtUp()
        return copy
    }

    /// Waits until the replica has replayed everything the primary has written so far. The insert position, not
    /// `pg_current_wal_lsn()`: the test cluster commits without waiting for the WAL write (synchronous_commit off),
    /// so a commit just made may be beyond the position written out.
    ///
    /// It fails only when the replica has received and replayed nothing for 30 s. The other suites create and
    /// migrate databases on the same cluster meanwhile, so after a pause the replica may have hundreds of megabytes
    /// of WAL to replay on a loaded machine: still catching up is not being stuck.
    public func caughtUp() async throws {
        let target = try await primaryServer.read { db in
            try await db.raw("SELECT pg_current_wal_insert_lsn()::text AS lsn").first()!.decode(
                column: "lsn", as: String.self)
        }
        var progress = ""
        var deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let state = try await replicaServer.read { db in
                try await db.raw(
                    """
                    SELECT pg_last_wal_replay_lsn() >= \(bind: target)::pg_lsn AS done,
                        pg_last_wal_receive_lsn()::text || ' ' || pg_last_wal_replay_lsn()::text AS position
                    """
                ).first()!
            }
            if try state.decode(column: "done", as: Bool?.self) ?? false { return }
            let position = try state.decode(column: "position", as: String?.self) ?? ""
            if position != progress {
                progress = position
                deadline = ContinuousClock.now + .seconds(30)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ReadReplicaError.behind(target)
    }

    /// Stops (or resumes) the replica's replay of the primary's changes: what it holds stays as it is until resumed.
    public func pauseReplay(_ paused: Bool) async throws {
        try await replicaServer.read { db in
            try await db.raw(paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()").run()
        }
    }

    public func shutdown() async {
        await database.shutdown()
        await replicaServer.shutdown()
        await primaryServer.shutdown()
    }
}

public enum ReadReplicaError: Error, CustomStringConvertible {
    case behind(String)

    public var description: String {
        switch self {
        case .behind(let lsn):
            "the read replica did not replay the primary's WAL up to \(lsn): nothing received or replayed for 30 s"
        }
    }
}
