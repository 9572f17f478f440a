import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage staff accounts.",
        subcommands: [Add.self, List.self, SetRoles.self, Token.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Login name (also the user's id).") var username: String
        @Option(name: .long, help: "Display name.") var name: String
        @Option(name: .long, help: "Home department id.") var department: String?
        @Option(
            name: .long, parsing: .singleValue,
            help: "A role, optionally scoped: agent, handler@after_sales… (repeatable).")
        var role: [RoleArgument] = []
        @Flag(name: .long, help: "Read the password from standard input instead of generating one.")
        var passwordStdin = false
        @Option(name: .long, help: "Interface language: zh-Hans or en.") var language: String = "zh-Hans"

        func validate() throws {
            guard Language(rawValue: language) != nil else { throw ValidationError("language: zh-Hans or en") }
        }

        func run() async throws {
            let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
            let generated = try await data.run { services in
                try await services.staff.add(
                    .init(
                        username: username, displayName: name, password: password,
                        department: department.map { DepartmentID($0) }, grants: role.map(\.grant),
                        language: Language(rawValue: language)!),
                    by: .commandLine
                ).generatedPassword
            }
            print("created \(username)")
            if let generated { print("password: \(generated)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts and their roles.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            let users = try await data.run { try await $0.staff.users() }
            for user in users {
                let roles = user.grants.map { RoleArgument(grant: $0).description }.joined(separator: " ")
                print(
                    [
                        user.username, user.displayName, user.department?.rawValue ?? "-",
                        user.active ? "active" : "inactive", roles,
                    ]
                    .joined(separator: "\t"))
            }
        }
    }

    struct SetRoles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-roles", abstract: "Replace a user's roles.")
        @OptionGroup var data: DataOptions
        @Argument var username: String
        @Option(name: .long, parsing: .singleValue, help: "A role, optionally scoped (repeatable); none removes all.")
        var role: [RoleArgument] = []
        @Option(name: .long, help: "Home department id.") var department: String?

        func run() async throws {
            _ = try await data.run { services in
                try await services.staff.update(
                    username,
                    .init(department: department.map { .some(DepartmentID($0)) }, grants: role.map(\.grant)),
                    by: .commandLine)
            }
            print("\(username): \(role.map(\.description).joined(separator: " "))")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user (printed once).")
        @OptionGroup var data: DataOptions
        @Argument var username: String
        @Option(name: .long, help: "What the token is for.") var name = "cli"
        @Option(name: .long, help: "Lifetime in days; omit for a token that does not expire.") var days: Int?

        func run() async throws {
            let token = try await data.run { services in
                try await services.tokens.issue(forUsername: username, name: name, days: days, by: .commandLine)
            }
            print(token.token)
        }
    }
}

/// `role` or `role@department` on the command line.
struct RoleArgument: ExpressibleByArgument, CustomStringConvertible {
    var grant: RoleGrant

    init(grant: RoleGrant) { self.grant = grant }

    init?(argument: String) {
        let parts = argument.split(separator: "@", maxSplits: 1).map(String.init)
        guard let role = Role(rawValue: parts[0]) else { return nil }
        grant = RoleGrant(role, in: parts.count == 2 ? DepartmentID(parts[1]) : nil)
    }

    var description: String {
        grant.department.map { "\(grant.role.rawValue)@\($0.rawValue)" } ?? grant.role.rawValue
    }

    static var allValueStrings: [String] { Role.allCases.map(\.rawValue) }
}
