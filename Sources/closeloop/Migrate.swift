import ArgumentParser
import CloseloopApp
import CloseloopServer
import CloseloopStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and list them.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let database = try store.location.open()
        let migrator = Migrator(database: database)
        do {
            let applied = try await migrator.migrate()
            let all = try await migrator.appliedMigrations()
            print(applied.isEmpty ? "up to date" : "applied: \(applied.map(String.init).joined(separator: ", "))")
            print("schema at migration \(all.last ?? 0)")
            await database.shutdown()
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
