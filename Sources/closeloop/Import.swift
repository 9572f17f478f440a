import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import complaints from a CSV file (UTF-8, header row).",
        discussion: """
            Columns: \(ComplaintImport.columns.joined(separator: ", ")). channel, customer_name, subject, \
            description and one of customer_phone or customer_email are required; received_at is RFC 3339 and may \
            reach back as far as the policy's importBackdateYears (20 years by default). Every row is checked first: \
            if any row is invalid (a row must have as many fields as the header), nothing is imported and every \
            problem is listed. Importing the same file again adds nothing.
            """)

    @OptionGroup var data: DataOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "The user recorded as having taken the complaints in.") var asUser = "admin"

    func run() async throws {
        let text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8)
        let outcome = try await data.run { services in
            guard let user = try await services.staff.user(username: asUser) else {
                throw ValidationError("no user \(asUser); pass --as-user")
            }
            return try await ComplaintImport(service: services.complaints).run(text, by: .staff(user.staffMember))
        }
        print("imported \(outcome.created), already imported \(outcome.alreadyImported)")
    }
}
