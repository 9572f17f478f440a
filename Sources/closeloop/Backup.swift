import ArgumentParser
import CloseloopApp
import CloseloopStore
import Foundation

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database while the server keeps running.",
        discussion: """
            SQLite: VACUUM INTO, a transactionally consistent single file. PostgreSQL: pg_dump in custom format \
            (restore with pg_restore). Attachments live under <data-dir>/attachments and are copied as files.
            """)

    @OptionGroup var data: DataOptions
    @Argument(help: "The backup file to write (must not exist).") var destination: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw ValidationError("\(destination) already exists")
        }
        do {
            try await data.location.backup(to: destination)
        } catch let failure as BackupFailure {
            throw ExitCode(failure.status)
        }
        print("backup written to \(destination)")
    }
}
