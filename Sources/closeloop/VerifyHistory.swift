import ArgumentParser
import CloseloopApp
import CloseloopServer
import CloseloopStore

struct VerifyHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-history",
        abstract: "Check every complaint's hash-chained history; report the first broken link (exit 1).")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let report = try await store.services().using { try await $0.store.verifyHistory() }
        if let broken = report.firstBreak {
            print("BROKEN at \(broken)")
            print("checked \(report.complaintsChecked) complaints, \(report.eventsChecked) events before the break")
            throw ExitCode(1)
        }
        print("intact: \(report.complaintsChecked) complaints, \(report.eventsChecked) events")
    }
}
