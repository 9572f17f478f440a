import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage staff accounts.",
        subcommands: [Add.self, List.self, SetRoles.self, Token.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account.")
        @OptionGroup var store: StoreOptions
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
            guard Self.isUsername(username) else {
                throw ValidationError("username: 2–40 lowercase letters, digits, '.', '_' or '-'")
            }
            guard Language(rawValue: language) != nil else { throw ValidationError("language: zh-Hans or en") }
        }

        static func isUsername(_ text: String) -> Bool {
            (2...40).contains(text.count)
                && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || "._-".contains($0) }
        }

        func run() async throws {
            var password = Self.generatedPassword()
            if passwordStdin {
                password = readLine(strippingNewline: true) ?? ""
                if let weakness = Passwords.weakness(of: password) { throw ValidationError("password \(weakness)") }
            }
            try await store.services().using { services in
                try await services.store.createUser(
                    UserAccount(
                        id: UserID(username), username: username, displayName: name,
                        passwordHash: services.passwords.hash(password),
                        department: department.map { DepartmentID($0) },
                        grants: role.map(\.grant), language: Language(rawValue: language)!, active: true,
                        createdAt: Date()))
                try await services.audit(
                    "user.create", subject: username, detail: role.map(\.description).joined(separator: ","),
                    by: AppServices.commandLineActor)
            }
            print("created \(username)")
            if !passwordStdin { print("password: \(password)") }
        }

        static func generatedPassword() -> String {
            let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            var generator = SystemRandomNumberGenerator()
            return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts and their roles.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let users = try await store.services().using { try await $0.store.users() }
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
        @OptionGroup var store: StoreOptions
        @Argument var username: String
        @Option(name: .long, parsing: .singleValue, help: "A role, optionally scoped (repeatable); none removes all.")
        var role: [RoleArgument] = []
        @Option(name: .long, help: "Home department id.") var department: String?

        func run() async throws {
            try await store.services().using { services in
                guard let user = try await services.store.user(username: username) else {
                    throw ValidationError("no user \(username)")
                }
                try await services.store.setGrants(
                    role.map(\.grant), department: department.map { DepartmentID($0) } ?? user.department, for: username
                )
                try await services.audit(
                    "user.update", subject: username,
                    detail: "roles=" + role.map(\.description).joined(separator: ","), by: AppServices.commandLineActor)
            }
            print("\(username): \(role.map(\.description).joined(separator: " "))")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user (printed once).")
        @OptionGroup var store: StoreOptions
        @Argument var username: String
        @Option(name: .long, help: "What the token is for.") var name = "cli"
        @Option(name: .long, help: "Lifetime in days; omit for a token that does not expire.") var days: Int?

        func run() async throws {
            let token = try await store.services().using { services in
                guard let user = try await services.store.user(username: username) else {
                    throw ValidationError("no user \(username)")
                }
                let issued: (token: String, expiresAt: Date)
                do {
                    issued = try await services.tokens.issue(
                        for: user.id, name: name, lifetime: days.map { Double($0) * 86_400 })
                } catch DomainError.validation(let issues) {
                    throw ValidationError(issues.map { "--\($0.field): \($0.message.en)" }.joined(separator: "; "))
                }
                try await services.audit(
                    "token.create", subject: username, detail: name, by: AppServices.commandLineActor)
                return issued
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
