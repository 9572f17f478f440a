import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Mass incidents and the bursts that propose them, for reports and scripts; incidents are opened and handled on the
/// pages or through the API, where each step is a person's and goes in the audit history.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "List mass incidents, show one with its complaints, list detected bursts.",
        subcommands: [List.self, Show.self, Bursts.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Incidents newest first: number, state, severity, open/all complaints, opened, title.")
        @OptionGroup var data: DataOptions
        @Flag(name: .long, help: "Closed incidents too.") var all = false

        func run() async throws {
            let summaries = try await data.run { services in try await services.incidents.list(openOnly: !all) }
            for summary in summaries {
                let incident = summary.incident
                print(
                    [
                        incident.number, incident.state.rawValue, incident.severity.rawValue,
                        "\(summary.openComplaints)/\(summary.complaints)",
                        ISO8601DateFormatter().string(from: incident.openedAt),
                        incident.title,
                    ].joined(separator: "\t"))
            }
            if summaries.isEmpty { print(all ? "no incidents" : "no open incidents") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One incident with its complaints and their states.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The incident's number, e.g. INC-2026-0001.") var number: String

        func run() async throws {
            let found = try await data.run { services -> (Incident, [ComplaintRecord])? in
                guard let incident = try await services.incidents.find(number) else { return nil }
                return (incident, try await services.incidents.members(of: number))
            }
            guard let (incident, members) = found else {
                FileHandle.standardError.write(Data("no incident \(number)\n".utf8))
                throw ExitCode(1)
            }
            print("\(incident.number)  \(incident.title)")
            print("state: \(incident.state.rawValue)  severity: \(incident.severity.rawValue)")
            print("department: \(incident.department?.rawValue ?? "—")  owner: \(incident.owner?.rawValue ?? "—")")
            if !incident.cause.isEmpty { print("cause: \(incident.cause)") }
            if let solution = incident.solution { print("solution: \(solution.message)") }
            print("complaints: \(members.count), open: \(members.filter { $0.complaint.state.isOpen }.count)")
            for record in members {
                let complaint = record.complaint
                print("  \(complaint.number)\t\(complaint.state.rawValue)\t\(complaint.intake.subject)")
            }
        }
    }

    struct Bursts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Complaints alike that arrived together, newest first, with the incident each belongs to.")
        @OptionGroup var data: DataOptions
        @Option(name: .long, help: "Days back from now.") var days = 7

        func run() async throws {
            let since = Date().addingTimeInterval(-Double(days) * 86_400)
            let lines = try await data.run { services in
                try await services.incidents.proposals(since: since).map { proposal in
                    [
                        ISO8601DateFormatter().string(from: proposal.burst.detectedAt), "\(proposal.members.count)",
                        proposal.incident ?? "-", proposal.burst.title, proposal.members.joined(separator: ","),
                    ].joined(separator: "\t")
                }
            }
            lines.forEach { print($0) }
            if lines.isEmpty { print("no bursts in the last \(days) days") }
        }
    }
}
