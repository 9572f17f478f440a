import ArgumentParser
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

struct DepartmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "department", abstract: "Manage the departments complaints are assigned to.",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a department, or rename an existing one.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Its id, used in role scopes (handler@after_sales) and assignments.") var id: String
        @Option(name: .long, help: "Chinese name.") var nameZh: String
        @Option(name: .long, help: "English name.") var nameEn: String

        func run() async throws {
            try await data.run { services in
                try await services.staff.saveDepartment(id, zh: nameZh, en: nameEn, by: .commandLine)
            }
            print("saved \(id)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List departments.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            for department in try await data.run({ try await $0.staff.departments() }) {
                print([department.id.rawValue, department.name.zhHans, department.name.en].joined(separator: "\t"))
            }
        }
    }
}
