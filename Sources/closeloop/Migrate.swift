import ArgumentParser
import CloseloopApp
import CloseloopStore
import Foundation

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and list them.")

    @OptionGroup var data: DataOptions

    @Flag(
        help: """
            SQLite: then give the file's free pages back to the disk (VACUUM). Stop the server first: it holds the \
            write lock throughout. Migration 34 frees about half of the history's pages.
            """)
    var vacuum = false

    func run() async throws {
        let (applied, current) = try await data.location.migrate()
        print(applied.isEmpty ? "up to date" : "applied: \(applied.map(String.init).joined(separator: ", "))")
        print("schema at migration \(current)")
        guard vacuum else { return }
        if let sizes = try await data.location.vacuum() {
            print("vacuumed: \(megabytes(sizes.before)) MB -> \(megabytes(sizes.after)) MB")
        } else {
            print("nothing to vacuum: PostgreSQL gives freed space back by itself")
        }
    }

    private func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }
}
