import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

extension ReportCommand {
    struct Period: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Statistics of a week, month, year or any period (SPEC §7), as text, CSV (Excel) or JSON.",
            discussion: """
                Complaints received in the period (days in the business calendar's time zone), by channel, \
                category, department, severity, priority, kind and state; closure, on-time, reopen and repeat rates; \
                satisfaction and negative rate; penalties written in the period per department. \
                Examples: closeloop report period --month 2026-10; closeloop report period --week 2026-10-05 \
                --format csv > week.csv; closeloop report period --from 2026-01-01 --to 2026-07-01
                """)
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "A month, YYYY-MM.") var month: String?
        @Option(name: .long, help: "The seven days starting on this day, YYYY-MM-DD.") var week: String?
        @Option(name: .long, help: "A year, YYYY.") var year: Int?
        @Option(name: .long, help: "First day, YYYY-MM-DD (with --to).") var from: String?
        @Option(name: .long, help: "The day after the last, YYYY-MM-DD (with --from).") var to: String?
        @Option(name: .long, help: "text, csv or json.") var format = "text"
        @Option(name: .long, help: "zh-Hans or en.") var language = "zh-Hans"

        /// The period as [first day, day after the last) and its name.
        func period() throws -> (start: LocalDate, end: LocalDate, title: String) {
            let given = [month != nil, week != nil, year != nil, from != nil || to != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("give one of --month, --week, --year or --from/--to") }
            if let month {
                let parts = month.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2, (1...12).contains(parts[1]), (1...9999).contains(parts[0]) else {
                    throw ValidationError("--month must be a month such as 2026-10")
                }
                let start = LocalDate(year: parts[0], month: parts[1], day: 1)
                let end =
                    parts[1] == 12
                    ? LocalDate(year: parts[0] + 1, month: 1, day: 1)
                    : LocalDate(year: parts[0], month: parts[1] + 1, day: 1)
                return (start, end, month)
            }
            if let week {
                guard let start = LocalDate(week) else {
                    throw ValidationError("--week must be a date such as 2026-10-05")
                }
                return (start, start.adding(days: 7), "\(start) – \(start.adding(days: 6))")
            }
            if let year {
                guard (1...9999).contains(year) else { throw ValidationError("--year must be a year such as 2026") }
                return (LocalDate(year: year, month: 1, day: 1), LocalDate(year: year + 1, month: 1, day: 1), "\(year)")
            }
            guard let from, let to, let start = LocalDate(from), let end = LocalDate(to), start < end else {
                throw ValidationError("--from and --to must be dates such as 2026-01-01, --from before --to")
            }
            return (start, end, "\(start) – \(end.adding(days: -1))")
        }

        func validate() throws {
            _ = try period()
            guard ["text", "csv", "json"].contains(format) else {
                throw ValidationError("--format must be text, csv or json")
            }
            guard Language(rawValue: language) != nil else { throw ValidationError("--language must be zh-Hans or en") }
        }

        func run() async throws {
            let (start, end, title) = try period()
            let report = try await data.run { services in
                try await services.reports.period(from: start, to: end, title: title)
            }
            let language = Language(rawValue: self.language)!
            switch format {
            case "csv": FileHandle.standardOutput.write(Data(try report.csv(in: language).utf8))
            case "json": print(try report.json())
            default: print(report.text(in: language))
            }
        }
    }
}
