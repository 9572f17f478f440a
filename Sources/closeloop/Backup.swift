import ArgumentParser
import CloseloopApp
import CloseloopServer
import CloseloopStore
import Foundation

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database while the server keeps running.",
        discussion: """
            SQLite: VACUUM INTO, a transactionally consistent single file. PostgreSQL: pg_dump in custom format \
            (restore with pg_restore). Attachments live under <data-dir>/attachments and are copied as files.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The backup file to write (must not exist).") var destination: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw ValidationError("\(destination) already exists")
        }
        switch store.location {
        case .sqlite(let path):
            let database = SQLiteDatabase(path: path)
            do {
                try await database.backup(to: destination)
                await database.shutdown()
            } catch {
                await database.shutdown()
                throw error
            }
        case .postgres(let url):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["pg_dump", "--format=custom", "--file=\(destination)", url]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ExitCode(process.terminationStatus) }
        }
        print("backup written to \(destination)")
    }
}
