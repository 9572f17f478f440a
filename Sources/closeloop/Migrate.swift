import ArgumentParser
import CloseloopApp
import CloseloopStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and list them.")

    @OptionGroup var data: DataOptions

    func run() async throws {
        let (applied, current) = try await data.location.migrate()
        print(applied.isEmpty ? "up to date" : "applied: \(applied.map(String.init).joined(separator: ", "))")
        print("schema at migration \(current)")
    }
}
