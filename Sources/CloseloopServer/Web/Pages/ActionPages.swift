import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Improvement actions (整改措施): the list, raising one (prefilled from a hotspot, a case or a complaint), and each
/// action's page with the steps its owner and its checker take.
struct ActionPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/actions") { request, _ in try await list(request) }
        web.get("/actions/new") { request, _ in
            let parameters = request.uri.queryParameters
            var values: [String: String] = [:]
            for name in ["title", "source", "complaints", "department"] { values[name] = parameters.get(name) ?? "" }
            return try await form(values: values, errors: [:], status: .ok)
        }
        web.post("/actions") { request, _ in try await raise(request) }
        web.get("/actions/:id") { _, context in try await show(context.parameters.get("id") ?? "", error: nil) }
        web.post("/actions/:id/step") { request, context in try await step(request, context.parameters.get("id") ?? "")
        }
    }

    private func list(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        let parameters = request.uri.queryParameters
        let status = parameters.get("status").flatMap(ImprovementAction.Status.init(rawValue:))
        let department = parameters.get("department").flatMap { $0.isEmpty ? nil : DepartmentID($0) }
        let statuses = status.map { [$0] } ?? [.open, .inProgress, .done]
        let actions = try await app.services.improvements.list(statuses: statuses, department: department)
        let directory = try await app.directory()
        let calendar = await app.services.settings.current().calendar
        let today = calendar.localDate(of: app.services.time.now())
        return app.page(
            "actions",
            [
                "title": app.t("actions_title"), "mayRaise": ImprovementActions.mayRaise(user),
                "rows": actions.map { action in
                    [
                        "id": action.id, "title": action.title,
                        "department": directory.departmentName(action.department),
                        "owner": directory.userName(action.owner), "due": action.due.description,
                        "status": app.text(action.status.label), "overdue": action.isOpen && action.due < today,
                    ] as [String: Any]
                },
                "empty": actions.isEmpty,
                "statuses": ImprovementAction.Status.allCases.map {
                    ["value": $0.rawValue, "label": app.text($0.label), "selected": $0 == status]
                },
                "departments": directory.departments.map {
                    ["value": $0.id.rawValue, "label": app.text($0.name), "selected": $0.id == department]
                },
            ])
    }

    private func form(values: [String: String], errors: [String: String], status: HTTPResponse.Status) async throws
        -> Response
    {
        let user = try app.state.requireStaff()
        guard ImprovementActions.mayRaise(user) else { throw WebError.forbidden }
        let directory = try await app.directory()
        let source = ImprovementAction.Source(code: values["source"] ?? "")
        return app.page(
            "action_new",
            [
                "title": app.t("action_new_title"), "values": values, "errors": errors, "hasErrors": !errors.isEmpty,
                "sourceLabel": Self.sourceLabel(source, app: app),
                "departments": [["value": "", "label": "—", "selected": false]]
                    + directory.departmentOptions(selected: values["department"]),
                "owners": [["value": "", "label": "—", "selected": false]]
                    + directory.userOptions(holding: Set(Role.allCases), selected: values["owner"]),
            ], status: status)
    }

    static func sourceLabel(_ source: ImprovementAction.Source, app: WebApp) -> String {
        switch source {
        case .hotspot(let text): app.t("action_from_hotspot", ["text": text])
        case .caseStudy(let number): app.t("action_from_case", ["number": number])
        case .complaint(let number): app.t("action_from_complaint", ["number": number])
        case .none: ""
        }
    }

    private func raise(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        let form = try await app.form(request)
        let names = ["title", "description", "source", "department", "owner", "due", "complaints"]
        let values = Dictionary(uniqueKeysWithValues: names.map { ($0, form[$0]) })
        let draft = ImprovementActions.Draft(
            title: form["title"], description: form["description"], source: .init(code: form["source"]),
            department: form.optional("department").map { DepartmentID($0) },
            owner: form.optional("owner").map { UserID($0) },
            due: form.optional("due").flatMap(LocalDate.init).flatMap { $0.isValid ? $0 : nil },
            complaints: form["complaints"].split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace })
                .map(String.init))
        do {
            let action = try await app.services.improvements.raise(draft, by: user)
            return WebRenderer.redirect(to: "/actions/\(action.id)")
        } catch DomainError.validation(let issues) {
            var errors: [String: String] = [:]
            for issue in issues { errors[issue.field] = issue.message.text(in: app.state.language) }
            return try await self.form(values: values, errors: errors, status: .unprocessableContent)
        }
    }

    private func show(_ id: String, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try app.state.requireStaff()
        guard let action = try await app.services.improvements.find(id) else { throw WebError.notFound }
        let directory = try await app.directory()
        let calendar = await app.services.settings.current().calendar
        let today = calendar.localDate(of: app.services.time.now())
        return app.page(
            "action",
            [
                "title": "\(action.id) \(action.title)", "id": action.id, "description": action.description,
                "source": Self.sourceLabel(action.source, app: app),
                "sourceLink": Self.sourceLink(action.source) as Any,
                "department": directory.departmentName(action.department), "owner": directory.userName(action.owner),
                "due": action.due.description, "overdue": action.isOpen && action.due < today,
                "status": app.text(action.status.label), "result": action.result,
                "complaints": action.complaints.map { ["number": $0] },
                "steps": action.steps(for: user.staffMember).map { step in
                    [
                        "step": step.rawValue, "label": app.t("action_step_\(step.rawValue)"),
                        "needsNote": step == .finish || step == .reject,
                    ]
                },
                "error": error as Any,
            ], status: status)
    }

    static func sourceLink(_ source: ImprovementAction.Source) -> String? {
        switch source {
        case .caseStudy(let number): "/cases/\(FormEncoding.encode(number))"
        case .complaint(let number): "/complaints/\(FormEncoding.encode(number))"
        case .hotspot, .none: nil
        }
    }

    private func step(_ request: Request, _ id: String) async throws -> Response {
        let user = try app.state.requireStaff()
        let form = try await app.form(request)
        guard let step = ImprovementAction.Step(rawValue: form["step"]) else {
            throw WebError.badRequest(app.t("error_bad_request"))
        }
        do {
            _ = try await app.services.improvements.take(step, on: id, note: form["note"], by: user)
        } catch DomainError.validation(let issues) {
            let message = issues.map { $0.message.text(in: app.state.language) }.joined(separator: "; ")
            return try await show(id, error: message, status: .unprocessableContent)
        }
        return WebRenderer.redirect(to: "/actions/\(id)")
    }
}
