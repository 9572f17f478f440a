import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopServer
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

        func resolve(_ store: SQLStore) async throws -> NotificationTarget.Owner {
            if let department { return .department(DepartmentID(department)) }
            guard let account = try await store.user(username: user ?? "") else {
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
        @OptionGroup var store: StoreOptions
        @OptionGroup var owner: Owner
        @OptionGroup var target: ChannelAddress

        func run() async throws {
            try await store.services().using { services in
                let saved = NotificationTarget(
                    owner: try await owner.resolve(services.store), channel: target.channel, address: target.address,
                    secret: target.secret)
                try await services.store.saveNotificationTarget(saved)
                try await services.audit(
                    "notify.add", subject: owner.user ?? owner.department ?? "",
                    detail: "\(target.channel) \(target.address)", by: AppServices.commandLineActor)
            }
            print("added \(target.channel) \(target.address)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a channel of a user or a department.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var owner: Owner
        @Option(name: .long) var channel: String
        @Option(name: .long) var address: String

        func run() async throws {
            try await store.services().using { services in
                let target = NotificationTarget(
                    owner: try await owner.resolve(services.store), channel: channel, address: address)
                try await services.store.removeNotificationTarget(target)
                try await services.audit(
                    "notify.remove", subject: owner.user ?? owner.department ?? "", detail: "\(channel) \(address)",
                    by: AppServices.commandLineActor)
            }
            print("removed \(channel) \(address)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every notification channel.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let rows = try await store.services().using { services in
                let users = try await services.store.users()
                let departments = try await services.store.departments()
                let owners =
                    users.map { NotificationTarget.Owner.user($0.id) }
                    + departments.map { NotificationTarget.Owner.department($0.id) }
                return try await services.store.notificationTargets(of: owners).map { target -> String in
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
