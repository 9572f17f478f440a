import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export complaints as CSV with a UTF-8 byte-order mark (opens correctly in Excel).")

    @OptionGroup var data: DataOptions
    @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?
    @Option(name: .long, help: "Only this state (repeatable).") var state: [String] = []
    @Option(name: .long, help: "Received at or after (YYYY-MM-DD, business calendar's time zone).") var from: String?
    @Option(name: .long, help: "Received before (YYYY-MM-DD).") var to: String?
    @Flag(name: .long, help: "Include full phone numbers and emails (masked otherwise).") var includePersonalData =
        false

    func run() async throws {
        var query = ComplaintQuery()
        query.states = try state.map {
            guard let value = ComplaintState(rawValue: $0) else { throw ValidationError("unknown state \($0)") }
            return value
        }
        let handle: FileHandle
        if let output {
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            guard let file = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let count = try await data.run { services in
            let calendar = await services.settings.current().calendar
            query.receivedFrom = try from.map { try Self.startOfDay($0, calendar) }
            query.receivedBefore = try to.map { try Self.startOfDay($0, calendar) }
            return try await services.export().run(query, includePersonalData: includePersonalData) {
                handle.write(Data($0.utf8))
            }
        }
        if output != nil {
            try handle.close()
            FileHandle.standardError.write(Data("exported \(count) complaints\n".utf8))
        }
    }

    static func startOfDay(_ text: String, _ calendar: BusinessCalendar) throws -> Date {
        guard let date = LocalDate(text) else { throw ValidationError("\(text) is not a date (YYYY-MM-DD)") }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = calendar.timeZone
        return gregorian.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    }
}
