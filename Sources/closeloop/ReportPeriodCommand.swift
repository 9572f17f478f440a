import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

extension ReportCommand {
    struct Period: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Statistics of a week, month, quarter, year or any period (SPEC §7), as text, CSV (Excel) or JSON.",
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
        @Option(name: .long, help: "A quarter, YYYY-Qn.") var quarter: String?
        @Option(name: .long, help: "A year, YYYY.") var year: Int?
        @Option(name: .long, help: "First day, YYYY-MM-DD (with --to).") var from: String?
        @Option(name: .long, help: "The day after the last, YYYY-MM-DD (with --from).") var to: String?
        @Option(name: .long, help: "text, csv or json.") var format = "text"
        @Option(name: .long, help: "zh-Hans or en.") var language = "zh-Hans"

        /// The period asked for.
        func period() throws -> ReportPeriod {
            let given = [month != nil, week != nil, quarter != nil, year != nil, from != nil || to != nil]
            guard given.filter({ $0 }).count == 1 else {
                throw ValidationError("give one of --month, --week, --quarter, --year or --from/--to")
            }
            if let month {
                guard let period = ReportPeriod.parse(.month, month) else {
                    throw ValidationError("--month must be a month such as 2026-10")
                }
                return period
            }
            if let week {
                guard let period = ReportPeriod.parse(.week, week) else {
                    throw ValidationError("--week must be a date such as 2026-10-05")
                }
                return period
            }
            if let quarter {
                guard let period = ReportPeriod.parse(.quarter, quarter) else {
                    throw ValidationError("--quarter must be a quarter such as 2026-Q4")
                }
                return period
            }
            if let year {
                guard let period = ReportPeriod.parse(.year, String(year)) else {
                    throw ValidationError("--year must be a year such as 2026")
                }
                return period
            }
            guard let from, let to, let start = LocalDate(from), let end = LocalDate(to), start.isValid, end.isValid,
                let period = ReportPeriod.days(from: start, through: end.adding(days: -1))
            else {
                throw ValidationError(
                    "--from and --to must be dates such as 2026-01-01, --from before --to, at most "
                        + "\(ReportPeriod.longestCustomDays) days apart")
            }
            return period
        }

        func validate() throws {
            _ = try period()
            guard ["text", "csv", "json"].contains(format) else {
                throw ValidationError("--format must be text, csv or json")
            }
            guard Language(rawValue: language) != nil else { throw ValidationError("--language must be zh-Hans or en") }
        }

        func run() async throws {
            let period = try period()
            let report = try await data.run { services in try await services.reports.period(period) }
            let language = Language(rawValue: self.language)!
            switch format {
            case "csv": FileHandle.standardOutput.write(Data(try report.csv(in: language).utf8))
            case "json": print(try report.json())
            default: print(report.text(in: language))
            }
        }
    }
}
