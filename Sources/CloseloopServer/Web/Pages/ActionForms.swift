import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// One input of an action's form. Field names are the domain's field names, so a validation error lands beside
/// the input it is about.
struct ActionField {
    enum Kind {
        case text, textarea, select, checkboxes, yesNo, score, money, dateTime, files, checkbox
    }

    var name: String
    var label: String
    var kind: Kind
    var options: [(value: String, label: String)] = []
    var required = false
    var hint: String?
    /// Of a staff picker: the departments each option's person works for (by option value; "*" for all), so the
    /// page can offer only the chosen department's people.
    var departments: [String: String] = [:]
    /// The name of the department field this picker follows.
    var filteredBy: String?
}

/// The forms of the loop's actions: what each asks for, and how a submitted form becomes a `ComplaintAction`.
struct ActionForms {
    let app: WebApp
    let directory: Directory
    let taxonomy: CategoryTaxonomy
    let formatting: WebFormatting
    /// The open incidents a complaint may join, by number and title.
    var openIncidents: [(value: String, label: String)] = []
    /// Who fills the form in: "assign to me" is offered to, and read as, them.
    var viewer: StaffMember?
    /// The complaint's running resolution deadline, which bounds the handler's target.
    var resolutionDue: Date?

    private func t(_ key: String, _ values: [String: String] = [:]) -> String { app.t(key, values) }

    private func options<Value: RawRepresentable & CaseIterable>(_ type: Value.Type, prefix: String)
        -> [(value: String, label: String)] where Value.RawValue == String
    {
        Value.allCases.map { ($0.rawValue, t("\(prefix)_\($0.rawValue)")) }
    }

    var categoryOptions: [(value: String, label: String)] { app.categoryChoices(taxonomy) }

    private func staff(_ roles: Set<Role>) -> [(value: String, label: String)] {
        directory.userOptions(holding: roles, selected: nil).map { ($0["value"] as! String, $0["label"] as! String) }
    }

    /// For each person holding one of `roles`, the departments those roles cover ("*" when company-wide).
    private func departments(of roles: Set<Role>) -> [String: String] {
        var scopes: [String: String] = [:]
        for user in directory.users where user.active {
            let grants = user.grants.filter { roles.contains($0.role) }
            guard !grants.isEmpty else { continue }
            scopes[user.id.rawValue] =
                grants.contains { $0.department == nil }
                ? "*" : Set(grants.compactMap(\.department?.rawValue)).sorted().joined(separator: " ")
        }
        return scopes
    }

    /// Whether the viewer may be named owner here: an agent or supervisor the complaint does not recuse.
    func viewerMayOwn(_ complaint: Complaint) -> Bool {
        guard let viewer else { return false }
        return (viewer.holds(.agent) || viewer.holds(.supervisor)) && !complaint.isRecused(viewer.id)
            && !complaint.unconfirmedMentions.contains(viewer.id)
    }

    private var departmentOptions: [(value: String, label: String)] {
        directory.departments.map { ($0.id.rawValue, app.text($0.name)) }
    }

    private var priorityOptions: [(value: String, label: String)] {
        Priority.allCases.map { ($0.rawValue, $0.rawValue) }
    }

    /// The inputs of `action`'s form.
    func fields(for action: ActionName, on complaint: Complaint) -> [ActionField] {
        switch action {
        case .checkCompleteness:
            return [
                ActionField(name: "complete", label: t("f_complete"), kind: .yesNo, required: true),
                ActionField(
                    name: "missing", label: t("f_missing"), kind: .checkboxes,
                    options: ["identity", "contact", "reference", "description", "attachments"].map {
                        ($0, t("missing_\($0)"))
                    }, hint: t("f_missing_hint")),
                ActionField(name: "note", label: t("f_note"), kind: .textarea),
            ]
        case .provideInformation:
            return [
                ActionField(name: "note", label: t("f_note"), kind: .textarea),
                ActionField(name: "files", label: t("f_attachments"), kind: .files),
            ]
        case .decideValidity:
            return [
                ActionField(name: "valid", label: t("f_valid"), kind: .yesNo, required: true),
                ActionField(name: "reason", label: t("f_reason"), kind: .textarea, hint: t("f_reason_invalid_hint")),
            ]
        case .answerRequest:
            return [ActionField(name: "answer", label: t("f_answer"), kind: .textarea, required: true)]
        case .assign:
            // Laid out four to a row (classification, then people and target), so the whole decision is one glance.
            let owners: Set<Role> = [.agent, .supervisor]
            let handlers: Set<Role> = [.handler, .departmentManager]
            return [
                ActionField(
                    name: "category", label: t("f_category"), kind: .select, options: categoryOptions, required: true),
                ActionField(
                    name: "priority", label: t("f_priority"), kind: .select, options: priorityOptions, required: true),
                ActionField(
                    name: "severity", label: t("f_severity"), kind: .select,
                    options: options(Severity.self, prefix: "severity"), required: true),
                ActionField(
                    name: "department", label: t("f_department"), kind: .select, options: departmentOptions,
                    required: true),
                ActionField(
                    name: "owner", label: t("f_owner"), kind: .select, options: staff(owners), required: true,
                    departments: departments(of: owners), filteredBy: "department"),
            ]
                + (viewerMayOwn(complaint)
                    ? [ActionField(name: "ownerSelf", label: t("f_owner_self"), kind: .checkbox)] : [])
                + [
                    ActionField(
                        name: "handler", label: t("f_handler"), kind: .select, options: staff(handlers),
                        departments: departments(of: handlers), filteredBy: "department"),
                    ActionField(
                        name: "handlerDue", label: t("f_handler_due"), kind: .dateTime,
                        hint: resolutionDue.map { t("f_handler_due_hint", ["due": formatting.dateTime($0)]) }
                            ?? t("f_handler_due_hint_open")),
                    ActionField(
                        name: "kind", label: t("f_kind"), kind: .select,
                        options: options(ComplaintKind.self, prefix: "kind")),
                ]
        case .reassign:
            let owners: Set<Role> = [.agent, .supervisor]
            let handlers: Set<Role> = [.handler, .departmentManager]
            return [
                ActionField(name: "department", label: t("f_department"), kind: .select, options: departmentOptions),
                ActionField(
                    name: "owner", label: t("f_owner"), kind: .select, options: staff(owners),
                    departments: departments(of: owners), filteredBy: "department"),
                ActionField(
                    name: "handler", label: t("f_handler"), kind: .select, options: staff(handlers),
                    departments: departments(of: handlers), filteredBy: "department"),
                ActionField(name: "reason", label: t("f_reason"), kind: .textarea, required: true),
            ]
        case .reclassify:
            return [
                ActionField(name: "category", label: t("f_category"), kind: .select, options: categoryOptions),
                ActionField(name: "priority", label: t("f_priority"), kind: .select, options: priorityOptions),
                ActionField(
                    name: "severity", label: t("f_severity"), kind: .select,
                    options: options(Severity.self, prefix: "severity")),
                ActionField(name: "reason", label: t("f_reason"), kind: .textarea, required: true),
            ]
        case .recordContact:
            return [
                ActionField(
                    name: "outcome", label: t("f_outcome"), kind: .select,
                    options: options(ContactOutcome.self, prefix: "outcome"), required: true),
                ActionField(name: "note", label: t("f_note"), kind: .textarea),
            ]
        case .submitAnalysis:
            return [
                ActionField(name: "problemType", label: t("f_problem_type"), kind: .text, required: true),
                ActionField(
                    name: "rootCause", label: t("f_root_cause"), kind: .select,
                    options: options(RootCause.self, prefix: "cause"), required: true),
                ActionField(name: "technical", label: t("f_technical"), kind: .checkbox),
                ActionField(name: "findings", label: t("f_findings"), kind: .textarea, required: true),
                ActionField(name: "suggestedSolution", label: t("f_suggested_solution"), kind: .textarea),
            ]
        case .proposeSolution:
            return [
                ActionField(
                    name: "types", label: t("f_solution_types"), kind: .checkboxes,
                    options: options(SolutionType.self, prefix: "solution"), required: true),
                ActionField(name: "description", label: t("f_description"), kind: .textarea, required: true),
                ActionField(
                    name: "compensation", label: t("f_compensation"), kind: .money, hint: t("f_compensation_hint")),
            ]
        case .decideApproval:
            return [
                ActionField(name: "approved", label: t("f_approved"), kind: .yesNo, required: true),
                ActionField(name: "comment", label: t("f_comment"), kind: .textarea, hint: t("f_comment_reject_hint")),
            ]
        case .respondToProposal:
            return [
                ActionField(name: "accepted", label: t("f_customer_accepted"), kind: .yesNo, required: true),
                ActionField(
                    name: "comment", label: t("f_customer_words"), kind: .textarea, hint: t("f_comment_reject_hint")),
            ]
        case .recordProgress:
            return [
                ActionField(name: "note", label: t("f_progress"), kind: .textarea),
                ActionField(name: "workFinished", label: t("f_work_finished"), kind: .checkbox),
                ActionField(name: "files", label: t("f_evidence"), kind: .files),
            ]
        case .returnResult:
            return [
                ActionField(name: "summary", label: t("f_result_summary"), kind: .textarea, required: true),
                ActionField(name: "files", label: t("f_attachments"), kind: .files),
            ]
        case .verify:
            return [
                ActionField(name: "solved", label: t("f_solved"), kind: .yesNo, required: true),
                ActionField(name: "satisfied", label: t("f_satisfied"), kind: .yesNo, required: true),
                ActionField(name: "score", label: t("f_score"), kind: .score),
                ActionField(name: "note", label: t("f_note"), kind: .textarea),
            ]
        case .recordReturnVisit:
            return [ActionField(name: "notes", label: t("f_visit_notes"), kind: .textarea, required: true)]
        // Only the customer's channel delivers a message; no staff form offers it.
        case .receiveMessage, .recordCustomerUpdate, .setUpdatePreference:
            return []
        case .close, .archive:
            return [ActionField(name: "note", label: t("f_note"), kind: .textarea)]
        case .reopen:
            return [ActionField(name: "reason", label: t("f_reason"), kind: .textarea, required: true)]
        case .requestDelay:
            return [
                ActionField(name: "reason", label: t("f_reason"), kind: .textarea, required: true),
                ActionField(name: "until", label: t("f_until"), kind: .dateTime, required: true),
            ]
        case .decideDelay:
            return [
                ActionField(name: "approved", label: t("f_approved"), kind: .yesNo, required: true),
                ActionField(name: "comment", label: t("f_comment"), kind: .textarea, hint: t("f_comment_reject_hint")),
            ]
        case .addNote:
            return [
                ActionField(name: "text", label: t("f_note"), kind: .textarea, required: true),
                ActionField(name: "internal", label: t("f_internal"), kind: .checkbox),
            ]
        case .linkIncident:
            return [
                openIncidents.isEmpty
                    ? ActionField(
                        name: "incident", label: t("f_incident"), kind: .text, required: true,
                        hint: t("f_incident_hint"))
                    : ActionField(
                        name: "incident", label: t("f_incident"), kind: .select, options: openIncidents,
                        required: true, hint: t("f_incident_hint"))
            ]
        case .merge:
            return [
                ActionField(
                    name: "into", label: t("f_merge_into"), kind: .text, required: true, hint: t("f_merge_into_hint")),
                ActionField(name: "reason", label: t("f_reason"), kind: .textarea, required: true),
            ]
        case .confirmMention:
            return [
                ActionField(
                    name: "user", label: t("f_mentioned_user"), kind: .select,
                    options: complaint.unconfirmedMentions.map { ($0.rawValue, directory.userName($0)) },
                    required: true, hint: t("f_mentioned_user_hint")),
                ActionField(name: "concerned", label: t("f_concerned"), kind: .yesNo, required: true),
                ActionField(name: "note", label: t("f_note"), kind: .textarea),
            ]
        case .writeCase:
            return [
                ActionField(name: "title", label: t("f_case_title"), kind: .text, hint: t("f_case_title_hint")),
                ActionField(name: "tags", label: t("f_case_tags"), kind: .text, hint: t("f_case_tags_hint")),
                ActionField(name: "cause", label: t("f_case_cause"), kind: .textarea, required: true),
                ActionField(name: "handling", label: t("f_case_handling"), kind: .textarea, required: true),
                ActionField(name: "lesson", label: t("f_case_lesson"), kind: .textarea, required: true),
                ActionField(name: "prevention", label: t("f_case_prevention"), kind: .textarea),
            ]
        }
    }

    /// The action a submitted form asks for. Inputs the browser should have constrained (a yes/no, a number) are
    /// checked here; everything about the loop itself is the domain's to judge.
    func action(
        _ name: ActionName, from form: WebForm, attachments: [AttachmentReference]
    ) throws -> ComplaintAction {
        var issues: [FieldIssue] = []
        func yesNo(_ field: String) -> Bool {
            switch form[field] {
            case "yes": return true
            case "no": return false
            default:
                issues.append(
                    .init(field: field, code: "required", message: LocalizedText(zh: "请选择", en: "choose one")))
                return false
            }
        }
        func optional<Value: RawRepresentable>(_ type: Value.Type, _ field: String) -> Value?
        where Value.RawValue == String {
            guard let raw = form.optional(field) else { return nil }
            guard let value = Value(rawValue: raw) else {
                issues.append(
                    .init(
                        field: field, code: "invalid", message: LocalizedText(zh: "选项无效", en: "is not a valid choice"))
                )
                return nil
            }
            return value
        }
        func required<Value: RawRepresentable>(_ type: Value.Type, _ field: String) -> Value?
        where Value.RawValue == String {
            if form.optional(field) == nil {
                issues.append(
                    .init(field: field, code: "required", message: LocalizedText(zh: "必填项", en: "is required")))
                return nil
            }
            return optional(type, field)
        }
        func category() -> (String?, String?) {
            guard let code = form.optional("category") else { return (nil, nil) }
            return taxonomy.choice(code)
        }
        let action: ComplaintAction
        switch name {
        case .checkCompleteness:
            action = .checkCompleteness(complete: yesNo("complete"), missing: form.all("missing"), note: form["note"])
        case .provideInformation:
            action = .provideInformation(note: form["note"], attachments: attachments)
        case .decideValidity:
            action = .decideValidity(valid: yesNo("valid"), reason: form["reason"])
        case .answerRequest:
            action = .answerRequest(answer: form["answer"])
        case .assign:
            let (category, subcategory) = category()
            let priority = required(Priority.self, "priority")
            let severity = required(Severity.self, "severity")
            let department = form.optional("department")
            // "Assign to me" names the person filling the form in, whatever the picker shows.
            let owner = form.bool("ownerSelf") ? viewer?.id.rawValue : form.optional("owner")
            var handlerDue: Date?
            if let text = form.optional("handlerDue") {
                handlerDue = formatting.parseInputDateTime(text)
                if handlerDue == nil {
                    issues.append(
                        .init(
                            field: "handlerDue", code: "invalid",
                            message: LocalizedText(zh: "请选择日期和时间", en: "choose a date and time")))
                }
            }
            if department == nil { issues.append(.required("department")) }
            if owner == nil { issues.append(.required("owner")) }
            if category == nil { issues.append(.required("category")) }
            guard issues.isEmpty, let priority, let severity, let department, let owner, let category else {
                throw DomainError.validation(issues)
            }
            action = .assign(
                .init(
                    category: category, subcategory: subcategory, kind: optional(ComplaintKind.self, "kind"),
                    priority: priority, severity: severity, department: DepartmentID(department),
                    owner: UserID(owner), handler: form.optional("handler").map { UserID($0) },
                    handlerDue: handlerDue))
        case .reassign:
            action = .reassign(
                department: form.optional("department").map { DepartmentID($0) },
                owner: form.optional("owner").map { UserID($0) }, handler: form.optional("handler").map { UserID($0) },
                reason: form["reason"])
        case .reclassify:
            let (category, subcategory) = category()
            action = .reclassify(
                category: category, subcategory: subcategory, priority: optional(Priority.self, "priority"),
                severity: optional(Severity.self, "severity"), reason: form["reason"])
        case .recordContact:
            action = .recordContact(outcome: required(ContactOutcome.self, "outcome") ?? .reached, note: form["note"])
        case .submitAnalysis:
            action = .submitAnalysis(
                .init(
                    problemType: form["problemType"], rootCause: required(RootCause.self, "rootCause") ?? .other,
                    technical: form.bool("technical"), findings: form["findings"],
                    suggestedSolution: form["suggestedSolution"]))
        case .proposeSolution:
            let compensation = Self.amount(form, "compensation", issues: &issues)
            let types = form.all("types").compactMap(SolutionType.init(rawValue:))
            action = .proposeSolution(types: types, description: form["description"], compensation: compensation)
        case .decideApproval:
            action = .decideApproval(approved: yesNo("approved"), comment: form["comment"])
        case .respondToProposal:
            action = .respondToProposal(accepted: yesNo("accepted"), comment: form["comment"])
        case .recordProgress:
            action = .recordProgress(note: form["note"], workFinished: form.bool("workFinished"), evidence: attachments)
        case .returnResult:
            action = .returnResult(summary: form["summary"], attachments: attachments)
        case .verify:
            var score: Int?
            if let text = form.optional("score") {
                score = Int(text)
                if score == nil {
                    issues.append(
                        .init(
                            field: "score", code: "invalid",
                            message: LocalizedText(zh: "须为 1 到 5", en: "must be between 1 and 5")))
                }
            }
            action = .verify(solved: yesNo("solved"), satisfied: yesNo("satisfied"), score: score, note: form["note"])
        case .recordReturnVisit:
            action = .recordReturnVisit(notes: form["notes"])
        case .close:
            action = .close(note: form["note"])
        case .reopen:
            action = .reopen(reason: form["reason"])
        case .requestDelay:
            let until = formatting.parseInputDateTime(form["until"])
            if until == nil {
                issues.append(
                    .init(
                        field: "until", code: "required",
                        message: LocalizedText(zh: "请选择日期和时间", en: "choose a date and time")))
            }
            action = .requestDelay(reason: form["reason"], until: until ?? .distantPast)
        case .decideDelay:
            action = .decideDelay(approved: yesNo("approved"), comment: form["comment"])
        case .addNote:
            action = .addNote(text: form["text"], isInternal: form.bool("internal"))
        case .linkIncident:
            action = .linkIncident(incident: form["incident"])
        case .merge:
            action = .merge(into: form["into"], reason: form["reason"])
        case .confirmMention:
            action = .confirmMention(
                user: UserID(form["user"]), concerned: yesNo("concerned"), note: form["note"])
        case .writeCase:
            action = .writeCase(
                .init(
                    cause: form["cause"], handling: form["handling"], lesson: form["lesson"],
                    prevention: form["prevention"], title: form.optional("title"),
                    tags: CaseStudy.tags(from: form["tags"])))
        case .archive:
            action = .archive(note: form["note"])
        case .receiveMessage, .recordCustomerUpdate, .setUpdatePreference:
            throw DomainError.notAllowed(action: name)
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return action
    }

    /// An amount typed on a form ("300", "¥1,200.50"), or nil with the issue noted when it is not one.
    static func amount(_ form: WebForm, _ field: String, issues: inout [FieldIssue]) -> Money? {
        guard let text = form.optional(field) else { return nil }
        let amount = Money(
            decimal: text.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: ",", with: ""))
        if amount == nil {
            issues.append(
                .init(
                    field: field, code: "invalid",
                    message: LocalizedText(zh: "请输入金额，如 300 或 300.50", en: "enter an amount such as 300 or 300.50")))
        }
        return amount
    }
}
