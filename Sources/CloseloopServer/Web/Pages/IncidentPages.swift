import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// Mass incidents (群诉事件): the list with the bursts that propose new ones, opening one from a queue selection or a
/// burst, and each incident's page with its complaints and the steps taken once for all of them.
struct IncidentPages {
    let app: WebApp

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/incidents") { request, _ in try await list(request) }
        web.get("/incidents/new") { request, _ in try await newForm(request) }
        web.post("/incidents") { request, _ in try await open(request) }
        web.get("/incidents/:number") { request, context in
            // Opening redirects here (so a reload never opens a second incident), naming what could not be linked.
            let parameters = request.uri.queryParameters
            let unlinked = parameters.get("unlinked").map { $0.split(separator: ",").map(String.init) } ?? []
            let opened = parameters.get("done") == "opened"
            return try await show(
                context.parameters.get("number") ?? "",
                done: opened ? t("incident_opened") : nil,
                error: unlinked.isEmpty ? nil : t("incident_unlinked", ["numbers": app.list(unlinked)]),
                status: .ok)
        }
        web.post("/incidents/:number/:step") { request, context in
            try await take(request, context.parameters.get("number") ?? "", context.parameters.get("step") ?? "")
        }
    }

    private func t(_ key: String, _ values: [String: String] = [:]) -> String { app.t(key, values) }

    // MARK: - List

    private func list(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        let all = request.uri.queryParameters.get("state") == "all"
        let incidents = try await app.services.incidents.list(openOnly: !all)
        let directory = try await app.directory()
        let calendar = await app.services.settings.current().calendar
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let mayManage = IncidentService.mayManage(user)
        let since = app.services.time.now().addingTimeInterval(-Double(BurstWatcher.proposalDays) * 86_400)
        let bursts: [[String: Any]] = try await app.services.incidents.proposals(since: since).map { proposal in
            [
                "id": proposal.burst.id, "title": proposal.burst.title, "count": proposal.members.count,
                "detected": formatting.dateTime(proposal.burst.detectedAt), "seed": proposal.members.last as Any,
                "incident": proposal.incident as Any, "mayOpen": mayManage && proposal.incident == nil,
            ]
        }
        return app.page(
            "incidents",
            [
                "title": t("incidents_title"), "showAll": all, "mayOpen": mayManage,
                "rows": incidents.map { summary in
                    let incident = summary.incident
                    return [
                        "number": incident.number, "title": incident.title,
                        "state": app.text(incident.state.label), "open": incident.isOpen,
                        "severity": t("severity_\(incident.severity.rawValue)"),
                        "department": directory.departmentName(incident.department),
                        "owner": directory.userName(incident.owner), "opened": formatting.dateTime(incident.openedAt),
                        "complaints": summary.complaints, "openComplaints": summary.openComplaints,
                    ] as [String: Any]
                },
                "empty": incidents.isEmpty, "bursts": bursts, "hasBursts": !bursts.isEmpty,
            ])
    }

    // MARK: - Opening

    private func newForm(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        guard IncidentService.mayManage(user) else { throw WebError.forbidden }
        let parameters = request.uri.queryParameters
        var values: [String: String] = ["severity": Severity.major.rawValue]
        var members: [String] = parameters.getAll("complaint").map { String($0) }
        if let burstID = parameters.get("burst"), let burst = try await app.services.bursts.burst(id: burstID) {
            let (details, numbers) = try await app.services.incidents.proposal(from: burst)
            values["title"] = details.title
            values["category"] = details.subcategory ?? details.category ?? ""
            values["department"] = details.department?.rawValue ?? ""
            values["burst"] = burstID
            members += numbers
        }
        values["complaints"] = members.joined(separator: " ")
        return try await form(values: values, errors: [:], status: .ok)
    }

    private func form(values: [String: String], errors: [String: String], status: HTTPResponse.Status)
        async throws -> Response
    {
        let directory = try await app.directory()
        return app.page(
            "incident_new",
            [
                "title": t("incident_new_title"), "values": values, "errors": errors, "hasErrors": !errors.isEmpty,
                "fromBurst": values["burst"]?.isEmpty == false,
            ].merging(try await detailOptions(values: values, directory: directory)) { $1 }, status: status)
    }

    /// The selects of the details form, with `values` chosen.
    private func detailOptions(values: [String: String], directory: Directory) async throws -> [String: Any] {
        let taxonomy = await app.services.settings.categories()
        let calendar = await app.services.settings.current().calendar
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let forms = ActionForms(app: app, directory: directory, taxonomy: taxonomy, formatting: formatting)
        let none: [[String: Any]] = [["value": "", "label": "—", "selected": false]]
        return [
            "categories": none
                + forms.categoryOptions.map {
                    ["value": $0.value, "label": $0.label, "selected": $0.value == values["category"]]
                },
            "severities": Severity.allCases.filter { $0 >= Incident.leastSeverity }.map {
                [
                    "value": $0.rawValue, "label": t("severity_\($0.rawValue)"),
                    "selected": $0.rawValue == values["severity"],
                ]
            },
            "departments": none + directory.departmentOptions(selected: values["department"]),
            "owners": none + directory.userOptions(holding: Set(Role.allCases), selected: values["owner"]),
            "handlers": none
                + directory.userOptions(holding: [.handler, .departmentManager], selected: values["handler"]),
        ]
    }

    private func details(from form: WebForm) async -> Incident.Details {
        let taxonomy = await app.services.settings.categories()
        let choice = form.optional("category").map(taxonomy.choice)
        return Incident.Details(
            title: form["title"], cause: form["cause"], category: choice?.category, subcategory: choice?.subcategory,
            severity: Severity(rawValue: form["severity"]) ?? .major,
            department: form.optional("department").map { DepartmentID($0) },
            owner: form.optional("owner").map { UserID($0) }, handler: form.optional("handler").map { UserID($0) })
    }

    private static let detailFields = [
        "title", "cause", "category", "severity", "department", "owner", "handler", "complaints", "burst",
    ]

    private func open(_ request: Request) async throws -> Response {
        let user = try app.state.requireStaff()
        guard IncidentService.mayManage(user) else { throw WebError.forbidden }
        let form = try await app.form(request)
        let values = Dictionary(uniqueKeysWithValues: Self.detailFields.map { ($0, form[$0]) })
        do {
            let (incident, linked) = try await app.services.incidents.open(
                await details(from: form), linking: Self.numbers(form["complaints"]), by: user)
            let unlinked = linked.filter { $0.done.isEmpty }.map(\.number)
            return WebRenderer.redirect(
                to: "/incidents/\(incident.number)?done=opened"
                    + (unlinked.isEmpty ? "" : "&unlinked=" + FormEncoding.encode(unlinked.joined(separator: ","))))
        } catch DomainError.validation(let issues) {
            return try await self.form(values: values, errors: errors(issues), status: .unprocessableContent)
        }
    }

    private static func numbers(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0.isWhitespace }).map(String.init)
    }

    private func errors(_ issues: [FieldIssue]) -> [String: String] {
        var errors: [String: String] = [:]
        for issue in issues { errors[issue.field] = issue.message.text(in: app.state.language) }
        return errors
    }

    // MARK: - One incident

    private func show(
        _ number: String, outcomes: [IncidentService.Outcome] = [], done: String? = nil, error: String? = nil,
        formErrors: (step: String, errors: [String: String], values: [String: String])? = nil,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let user = try app.state.requireStaff()
        guard let incident = try await app.services.incidents.find(number) else { throw WebError.notFound }
        let directory = try await app.directory()
        let now = app.services.time.now()
        let calendar = await app.services.settings.current().calendar
        let taxonomy = await app.services.settings.categories()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let members = try await app.services.incidents.members(of: number)
        let mayManage = IncidentService.mayManage(user)
        let mayWork = IncidentService.mayWork(user, on: incident) && incident.isOpen
        let waiting = members.filter { $0.complaint.state.isOpen }.count
        let values = formErrors?.values ?? [:]
        let editValues: [String: String] = [
            "title": incident.title, "cause": incident.cause,
            "category": incident.subcategory ?? incident.category ?? "", "severity": incident.severity.rawValue,
            "department": incident.department?.rawValue ?? "", "owner": incident.owner?.rawValue ?? "",
            "handler": incident.handler?.rawValue ?? "",
        ].merging(formErrors?.step == "edit" ? values : [:]) { $1 }
        let solution = incident.solution
        let analysis = incident.analysis
        let proposeValues: [String: String] = [
            "problemType": analysis?.problemType ?? "", "rootCause": analysis?.rootCause.rawValue ?? "",
            "findings": analysis?.findings ?? "", "message": solution?.message ?? "",
            "compensation": solution?.compensation.map { "\($0)" } ?? "",
        ].merging(formErrors?.step == "propose" ? values : [:]) { $1 }
        let chosenTypes = Set(
            formErrors?.step == "propose"
                ? (values["types"] ?? "").split(separator: ",").map(String.init)
                : (solution?.types ?? []).map(\.rawValue))
        let context: [String: Any] = [
            "title": "\(incident.number) \(incident.title)", "number": incident.number, "version": incident.version,
            "incidentTitle": incident.title, "cause": incident.cause, "open": incident.isOpen,
            "state": app.text(incident.state.label), "severity": t("severity_\(incident.severity.rawValue)"),
            "category": (incident.subcategory ?? incident.category).map {
                taxonomy.name(of: $0, in: app.state.language)
            } as Any,
            "department": directory.departmentName(incident.department), "owner": directory.userName(incident.owner),
            "handler": directory.userName(incident.handler), "openedBy": directory.userName(incident.openedBy),
            "opened": formatting.dateTime(incident.openedAt), "closed": formatting.dateTime(incident.closedAt),
            "closingNote": incident.closingNote as Any, "result": incident.result as Any,
            "analysis": analysis.map {
                [
                    "problemType": $0.problemType, "rootCause": t("cause_\($0.rootCause.rawValue)"),
                    "findings": $0.findings,
                ]
            } as Any,
            "solution": solution.map {
                [
                    "types": $0.types.map { t("solution_\($0.rawValue)") }.joined(separator: t("list_separator")),
                    "message": $0.message, "compensation": $0.compensation.map { "¥\($0)" } as Any,
                ] as [String: Any]
            } as Any,
            "complaints": members.map { record in
                let complaint = record.complaint
                let due = record.nextDueAt
                return [
                    "number": complaint.number, "subject": complaint.intake.subject,
                    "customer": complaint.intake.customer.name, "state": app.text(complaint.state.label),
                    "stateCode": complaint.state.rawValue, "handler": directory.userName(complaint.handler),
                    "due": due.map { formatting.timeLeft(until: $0, basis: .calendar, now: now).text } as Any,
                    "overdue": due.map { $0 < now } ?? false,
                ] as [String: Any]
            },
            "count": members.count, "waiting": waiting, "hasComplaints": !members.isEmpty,
            "mayManage": mayManage && incident.isOpen, "mayWork": mayWork,
            "outcomes": outcomes.map { outcome in
                [
                    "number": outcome.number, "state": app.text(outcome.state.label),
                    "done": outcome.done.map { app.text($0.label) }.joined(separator: t("list_separator")),
                    "problem": outcome.problem.map { app.text($0) } as Any, "ok": outcome.problem == nil,
                ] as [String: Any]
            },
            "hasOutcomes": !outcomes.isEmpty, "done": done as Any, "error": error as Any,
            "stepErrors": formErrors?.errors ?? [:], "errorStep": formErrors?.step as Any,
            "edit": editValues, "propose": proposeValues, "resultText": values["result"] ?? incident.result ?? "",
            "rootCauses": RootCause.allCases.map {
                [
                    "value": $0.rawValue, "label": t("cause_\($0.rawValue)"),
                    "selected": $0.rawValue == proposeValues["rootCause"],
                ]
            },
            "solutionTypes": SolutionType.allCases.map {
                [
                    "value": $0.rawValue, "label": t("solution_\($0.rawValue)"),
                    "checked": chosenTypes.contains($0.rawValue),
                ]
            },
            "placeholders": CustomerMessage.placeholders.joined(separator: " "),
            "stepCounts": Dictionary(
                uniqueKeysWithValues: IncidentStep.allCases.map { step in
                    (step.rawValue, members.filter { step.applies(to: $0.complaint) }.count)
                }),
            // A step with nothing to do stays folded; one with work waiting, or whose form came back, is open.
            "stepOpen": Dictionary(
                uniqueKeysWithValues: IncidentStep.allCases.map { step in
                    (
                        step.rawValue,
                        formErrors?.step == step.rawValue || members.contains { step.applies(to: $0.complaint) }
                    )
                }
            ).merging(["edit": formErrors?.step == "edit", "close": formErrors?.step == "close"]) { $1 },
            "values": editValues, "errors": formErrors?.step == "edit" ? formErrors?.errors ?? [:] : [:],
        ]
        return app.page(
            "incident",
            context.merging(try await detailOptions(values: editValues, directory: directory)) { $1 }, status: status)
    }

    private func take(_ request: Request, _ number: String, _ step: String) async throws -> Response {
        let user = try app.state.requireStaff()
        let form = try await app.form(request)
        let version = Int(form["version"]) ?? 0
        let incidents = app.services.incidents
        var values: [String: String] = [:]
        for (name, _) in form.fields { values[name] = form.all(name).joined(separator: ",") }
        do {
            switch step {
            case "edit":
                _ = try await incidents.update(number, await details(from: form), expectedVersion: version, by: user)
                return try await show(number, done: t("incident_saved"), status: .ok)
            case "link":
                let outcomes = try await incidents.link(Self.numbers(form["complaints"]), to: number, by: user)
                return try await show(number, outcomes: outcomes, done: t("incident_linked"), status: .ok)
            case "close":
                _ = try await incidents.close(number, note: form["note"], expectedVersion: version, by: user)
                return try await show(number, done: t("incident_closed"), status: .ok)
            case "accept", "propose", "result":
                let handling = try handling(step, form)
                let (_, outcomes) = try await incidents.handle(handling, on: number, expectedVersion: version, by: user)
                let done = outcomes.filter { !$0.done.isEmpty }.count
                return try await show(
                    number, outcomes: outcomes,
                    done: t("incident_step_done", ["step": app.text(handling.step.label), "count": "\(done)"]),
                    status: .ok)
            default:
                throw WebError.notFound
            }
        } catch DomainError.validation(let issues) {
            return try await show(
                number, error: t("form_has_errors"), formErrors: (step, errors(issues), values),
                status: .unprocessableContent)
        } catch StoreError.incidentVersionConflict {
            return try await show(number, error: t("incident_conflict"), status: .conflict)
        }
    }

    private func handling(_ step: String, _ form: WebForm) throws -> IncidentService.Handling {
        switch step {
        case "propose":
            var issues: [FieldIssue] = []
            let compensation = ActionForms.amount(form, "compensation", issues: &issues)
            let types = form.all("types").compactMap(SolutionType.init(rawValue:))
            guard let rootCause = RootCause(rawValue: form["rootCause"]) else {
                throw DomainError.validation(issues + [.required("rootCause")])
            }
            guard issues.isEmpty else { throw DomainError.validation(issues) }
            return .propose(
                analysis: .init(
                    problemType: form["problemType"], rootCause: rootCause, technical: form.bool("technical"),
                    findings: form["findings"], suggestedSolution: form["message"]),
                solution: .init(types: types, message: form["message"], compensation: compensation))
        case "result":
            return .result(form["result"])
        default:
            return .accept
        }
    }
}
