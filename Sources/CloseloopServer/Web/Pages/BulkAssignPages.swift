import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Assigning or reassigning the complaints ticked in a queue at once: the form names them with what will happen to
/// each, and the answer says complaint by complaint what was done (`BulkAssignment`).
struct BulkAssignPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/queue/assign") { request, _ in
            let user = try app.state.requireStaff()
            guard BulkAssignment.mayAssign(user) else { throw WebError.forbidden }
            let numbers = FormEncoding.decode(request.uri.query ?? "")["complaint"] ?? []
            return try await page(numbers: numbers, values: [:], errors: [:], status: .ok)
        }
        web.post("/queue/assign") { request, _ in try await assign(request) }
    }

    private func t(_ key: String, _ values: [String: String] = [:]) -> String { app.t(key, values) }

    private func assign(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        guard BulkAssignment.mayAssign(user) else { throw WebError.forbidden }
        let form = try await app.form(request)
        let numbers = form.all("complaint")
        let values = Dictionary(uniqueKeysWithValues: Self.fields.map { ($0, form[$0]) })
        var issues: [FieldIssue] = []
        let owner = form.bool("ownerSelf") ? user.id.rawValue : form.optional("owner")
        if form.optional("department") == nil { issues.append(.required("department")) }
        if owner == nil { issues.append(.required("owner")) }
        guard issues.isEmpty, let department = form.optional("department"), let owner else {
            return try await page(
                numbers: numbers, values: values, errors: errors(issues), status: .unprocessableContent)
        }
        let target = BulkAssignment.Target(
            department: DepartmentID(department), owner: UserID(owner),
            handler: form.optional("handler").map { UserID($0) },
            category: form.optional("category"), reason: form["reason"].trimmingCharacters(in: .whitespacesAndNewlines))
        do {
            let outcomes = try await app.services.bulkAssignment.apply(target, to: numbers, by: user)
            return try await page(
                numbers: numbers, values: values, errors: [:], outcomes: outcomes, status: .ok)
        } catch DomainError.validation(let issues) {
            return try await page(
                numbers: numbers, values: values, errors: errors(issues), status: .unprocessableContent)
        }
    }

    static let fields = ["department", "owner", "handler", "category", "reason"]

    private func errors(_ issues: [FieldIssue]) -> [String: String] {
        var errors: [String: String] = [:]
        for issue in issues { errors[issue.field] = issue.message.text(in: app.state.language) }
        return errors
    }

    private func page(
        numbers: [String], values: [String: String], errors: [String: String], outcomes: [ActionOutcome] = [],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let directory = try await app.directory()
        let taxonomy = await app.services.settings.categories()
        let target = BulkAssignment.Target(
            department: DepartmentID(""), owner: UserID(""), handler: nil, category: "-", reason: "")
        var rows: [[String: Any]] = []
        var needsReason = false
        var needsCategory = false
        for number in numbers.prefix(BulkAssignment.limit) {
            guard let record = try await app.services.complaints.record(number: number) else { continue }
            let complaint = record.complaint
            let plan: String
            switch BulkAssignment.step(for: complaint, to: target) {
            case .take(let action):
                plan = app.text(action.name.label)
                if action.name == .reassign { needsReason = true }
                if action.name == .assign && complaint.category == nil { needsCategory = true }
            case .needsCategory, .notApplicable:
                plan = t("bulk_not_applicable")
            }
            rows.append([
                "number": complaint.number, "subject": complaint.intake.subject,
                "state": app.text(complaint.state.label), "stateCode": complaint.state.rawValue,
                "department": directory.departmentName(complaint.department),
                "owner": directory.userName(complaint.owner), "plan": plan,
            ])
        }
        let categories: [[String: Any]] = taxonomy.categories.map { category in
            [
                "value": category.code, "label": category.name.text(in: app.state.language),
                "selected": values["category"] == category.code,
            ]
        }
        let context: [String: Any] = [
            "title": t("bulk_title"), "rows": rows, "empty": rows.isEmpty,
            "count": t("bulk_count", ["count": "\(rows.count)"]),
            "departments": directory.departmentOptions(selected: values["department"]),
            "owners": directory.userOptions(holding: [.agent, .supervisor], selected: values["owner"]),
            "handlers": directory.userOptions(holding: [.handler, .departmentManager], selected: values["handler"]),
            "categories": categories, "needsCategory": needsCategory, "needsReason": needsReason,
            "reason": values["reason"] ?? "", "errors": errors, "hasErrors": !errors.isEmpty,
            "outcomes": outcomes.map { outcome in
                [
                    "number": outcome.number, "state": app.text(outcome.state.label),
                    "done": app.list(outcome.done.map { app.text($0.label) }),
                    "problem": outcome.problem.map { app.text($0) } as Any, "ok": outcome.problem == nil,
                ] as [String: Any]
            },
            "hasOutcomes": !outcomes.isEmpty,
            "doneCount": t("bulk_done", ["count": "\(outcomes.filter { $0.problem == nil }.count)"]),
        ]
        return app.page("bulk_assign", context, status: status)
    }
}
