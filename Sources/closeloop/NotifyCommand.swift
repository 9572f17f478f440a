import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// Where people and departments hear of deadlines: an email address or phone for a user, a group robot or a
/// webhook for a department.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Manage where users and departments are notified.",
        discussion: """
            Channels: \(NotificationTarget.channels.joined(separator: ", ")). For dingtalk and feishu give the \
            robot's signing secret with --secret; for webhook the secret signs each request (X-Closeloop-Signature).
            Examples: closeloop notify add --user zhangwei --channel email --address zhangwei@example.com; \
            closeloop notify add --department after_sales --channel dingtalk \
            --address 'https://oapi.dingtalk.com/robot/send?access_token=…' --secret SEC…
            """,
        subcommands: [Add.self, Remove.self, List.self, Test.self, Outbox.self, Deliver.self, Retry.self])

    struct Owner: ParsableArguments {
        @Option(name: .long, help: "A username.") var user: String?
        @Option(name: .long, help: "A department id.") var department: String?

        func validate() throws {
            guard (user == nil) != (department == nil) else {
                throw ValidationError("give exactly one of --user or --department")
            }
        }

        func resolve(_ staff: StaffDirectory) async throws -> NotificationTarget.Owner {
            if let department { return .department(DepartmentID(department)) }
            guard let account = try await staff.user(username: user ?? "") else {
                throw ValidationError("no user \(user ?? "")")
            }
            return .user(account.id)
        }
    }

    /// A channel and its address, checked as the pages check them; the secret signs robots' and webhooks' requests.
    struct ChannelAddress: ParsableArguments {
        @Option(name: .long, help: "The channel.") var channel: String
        @Option(name: .long, help: "Email address, phone number or URL.") var address: String
        @Option(name: .long, help: "Signing secret (robots and webhooks).") var secret: String?

        func validate() throws {
            if let problem = NotificationTarget.problem(channel: channel, address: address) {
                throw ValidationError(problem.description)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a channel for a user or a department.")
        @OptionGroup var data: DataOptions
        @OptionGroup var owner: Owner
        @OptionGroup var target: ChannelAddress

        func run() async throws {
            try await data.run { services in
                try await services.notificationTargets.add(
                    NotificationTarget(
                        owner: try await owner.resolve(services.staff), channel: target.channel,
                        address: target.address, secret: target.secret),
                    by: .commandLine)
            }
            print("added \(target.channel) \(target.address)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a channel of a user or a department.")
        @OptionGroup var data: DataOptions
        @OptionGroup var owner: Owner
        @Option(name: .long) var channel: String
        @Option(name: .long) var address: String

        func run() async throws {
            try await data.run { services in
                try await services.notificationTargets.remove(
                    NotificationTarget(
                        owner: try await owner.resolve(services.staff), channel: channel, address: address),
                    by: .commandLine)
            }
            print("removed \(channel) \(address)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every notification channel.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let rows = try await data.run { services in
                let users = try await services.staff.users()
                let departments = try await services.staff.departments()
                let owners =
                    users.map { NotificationTarget.Owner.user($0.id) }
                    + departments.map { NotificationTarget.Owner.department($0.id) }
                return try await services.notificationTargets.targets(of: owners).map { target -> String in
                    let who: String
                    switch target.owner {
                    case .user(let id): who = "user " + (users.first { $0.id == id }?.username ?? id.rawValue)
                    case .department(let id): who = "department " + id.rawValue
                    }
                    return "\(who)\t\(target.channel)\t\(target.address)\(target.secret == nil ? "" : "\t(signed)")"
                }
            }
            for row in rows { print(row) }
        }
    }
}
