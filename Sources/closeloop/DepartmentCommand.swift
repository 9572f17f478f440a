import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopServer
import CloseloopStore
import Foundation

struct DepartmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "department", abstract: "Manage the departments complaints are assigned to.",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a department, or rename an existing one.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Its id, used in role scopes (handler@after_sales) and assignments.") var id: String
        @Option(name: .long, help: "Chinese name.") var nameZh: String
        @Option(name: .long, help: "English name.") var nameEn: String

        func validate() throws {
            guard (2...40).contains(id.count),
                id.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" || $0 == "-" })
            else { throw ValidationError("id: 2–40 lowercase letters, digits, '_' or '-'") }
            guard !nameZh.trimmingCharacters(in: .whitespaces).isEmpty,
                !nameEn.trimmingCharacters(in: .whitespaces).isEmpty
            else { throw ValidationError("both names are required") }
        }

        func run() async throws {
            try await store.services().using { services in
                try await services.store.saveDepartment(
                    Department(id: DepartmentID(id), name: LocalizedText(zh: nameZh, en: nameEn)))
                try await services.audit(
                    "department.save", subject: id, detail: "\(nameZh) / \(nameEn)", by: AppServices.commandLineActor)
            }
            print("saved \(id)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List departments.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            for department in try await store.services().using({ try await $0.store.departments() }) {
                print([department.id.rawValue, department.name.zhHans, department.name.en].joined(separator: "\t"))
            }
        }
    }
}
