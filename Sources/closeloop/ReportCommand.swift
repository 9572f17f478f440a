import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports over the complaints.", subcommands: [Daily.self, Period.self])

    struct Daily: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The daily monitoring report (系统监控日报): the day's figures and the anomalies of SPEC §6.")
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "The day, YYYY-MM-DD (default: yesterday).") var date: String?
        @Option(name: .long, help: "zh-Hans or en.") var language = "zh-Hans"
        @Flag(name: .long, help: "Also queue it for the supervisors' and administrators' channels.") var send = false

        func validate() throws {
            if let date, LocalDate(date) == nil { throw ValidationError("--date must be a date such as 2026-11-24") }
            if Language(rawValue: language) == nil { throw ValidationError("--language must be zh-Hans or en") }
        }

        func run() async throws {
            let (text, queued) = try await data.run { services in
                let monitoring = services.monitoring
                let day: LocalDate
                if let date, let parsed = LocalDate(date) { day = parsed } else { day = await monitoring.yesterday() }
                let report = try await monitoring.report(for: day)
                let windowDays = await services.settings.alertPolicy().monitoring.windowDays
                let queued = send ? try await monitoring.send(report) : 0
                return (report.text(in: Language(rawValue: language)!, windowDays: windowDays), queued)
            }
            print(text)
            if send { print("queued: \(queued)") }
        }
    }
}
