import CloseloopCore
import CloseloopStore
import Foundation

/// The department and the people an intake or an assignment names must exist, people as active staff named by id:
/// a name, a misspelt id or a departed colleague would leave a recusal unenforced or a complaint with nobody on it.
extension ComplaintService {
    func referenceIssues(of intake: Intake) async throws -> [FieldIssue] {
        try await referenceIssues(
            department: ("complainedAboutDepartment", intake.complainedAboutDepartment),
            people: [("complainedAboutUser", intake.complainedAboutUser)])
            + Self.categoryIssues(intake.defaultCategory, in: await settings.categories())
    }

    /// A category named at intake is one the supervisor can classify by: a code of the company's taxonomy.
    static func categoryIssues(_ code: String?, in taxonomy: CategoryTaxonomy) -> [FieldIssue] {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return [] }
        let known = taxonomy.categories.contains { $0.code == code || $0.subcategories.contains { $0.code == code } }
        return known
            ? []
            : [
                FieldIssue(
                    field: "category", code: "unknown_category",
                    message: LocalizedText(zh: "没有类别 \(code)", en: "no category \(code)"))
            ]
    }

    /// Active staff whose name the customer's words contain: the description to the person complained about, the
    /// subject, the description and the call transcript.
    func mentionedStaff(in intake: Intake) async throws -> [UserID] {
        let staff = try await store.activeStaffNames().map { StaffMentions.Member(id: $0.id, name: $0.name) }
        return StaffMentions.find(
            in: [intake.complainedAboutText, intake.subject, intake.description, intake.transcript], among: staff)
    }

    func referenceIssues(of action: ComplaintAction) async throws -> [FieldIssue] {
        switch action {
        case .assign(let assignment):
            try await referenceIssues(
                department: ("department", assignment.department),
                people: [("owner", assignment.owner), ("handler", assignment.handler)])
        case .reassign(let department, let owner, let handler, _):
            try await referenceIssues(
                department: ("department", department), people: [("owner", owner), ("handler", handler)])
        // An incident is a record now: a complaint joins one that exists and is still being handled.
        case .linkIncident(let number):
            try await store.incident(number: number.trimmingCharacters(in: .whitespaces))?.isOpen == true
                ? []
                : [
                    FieldIssue(
                        field: "incident", code: "unknown_incident",
                        message: LocalizedText(
                            zh: "没有处理中的群诉事件 \(number)", en: "no open incident \(number)"))
                ]
        default:
            []
        }
    }

    /// Every unknown one at once (an incident's department and people are checked by the same rule).
    func referenceIssues(
        department: (field: String, id: DepartmentID?), people: [(field: String, id: UserID?)]
    ) async throws -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if let id = department.id, try await !store.departments().contains(where: { $0.id == id }) {
            issues.append(
                FieldIssue(
                    field: department.field, code: "unknown_department",
                    message: LocalizedText(zh: "部门 \(id.rawValue) 不存在", en: "no department \(id.rawValue)")))
        }
        for case let (field, id?) in people where try await store.user(id: id)?.active != true {
            issues.append(
                FieldIssue(
                    field: field, code: "unknown_user",
                    message: LocalizedText(
                        zh: "员工 \(id.rawValue) 不存在或已停用（请从员工名录中选择）",
                        en: "no active staff member \(id.rawValue) (choose one from the directory)")))
        }
        return issues
    }
}
