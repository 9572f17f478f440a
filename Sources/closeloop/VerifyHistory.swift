import ArgumentParser
import CloseloopApp
import CloseloopStore

struct VerifyHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-history",
        abstract: "Check every complaint's hash-chained history; report the first broken link (exit 1).")

    @OptionGroup var data: DataOptions

    func run() async throws {
        let report = try await data.run { try await $0.verifyHistory() }
        if let broken = report.firstBreak {
            print("BROKEN at \(broken)")
            print("checked \(report.complaintsChecked) complaints, \(report.eventsChecked) events before the break")
            throw ExitCode(1)
        }
        print("intact: \(report.complaintsChecked) complaints, \(report.eventsChecked) events")
    }
}
