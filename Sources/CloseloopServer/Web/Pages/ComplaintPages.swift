import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The complaint page: everything known about one complaint, its clocks and history, and a form for each action
/// the signed-in user may take now.
struct ComplaintPages {
    let app: WebApp

    /// A failed submission to show again: which action, what was typed, and what was wrong.
    struct Attempt {
        var action: ActionName
        var form: WebForm
        var attachments: [AttachmentReference]
        var message: String?
        var fieldErrors: [String: String]
    }

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/complaints/:number") { request, context in
            let number = context.parameters.get("number") ?? ""
            let done = request.uri.queryParameters["done"].flatMap { ActionName(rawValue: String($0)) }
            return try await show(number: number, done: done)
        }
        web.post("/complaints/:number/reveal") { request, context in
            _ = try await app.form(request)
            return try await show(number: context.parameters.get("number") ?? "", reveal: true)
        }
        web.post("/complaints/:number/actions/:action") { request, context in
            try await act(
                request, number: context.parameters.get("number") ?? "", action: context.parameters.get("action") ?? "")
        }
        registerSimilarActions(on: web)
        web.get("/complaints/:number/attachments/:id") { _, context in
            try await download(number: context.parameters.get("number") ?? "", id: context.parameters.get("id") ?? "")
        }
    }

    private func record(_ number: String) async throws -> ComplaintRecord {
        guard let record = try await app.services.complaints.record(number: number) else { throw WebError.notFound }
        return record
    }

    func show(
        number: String, reveal: Bool = false, done: ActionName? = nil, attempt: Attempt? = nil, problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try app.state.requireStaff()
        let record = try await record(number)
        let complaint = record.complaint
        let member = user.staffMember
        let directory = try await app.directory()
        let (policy, calendar) = await app.services.settings.current()
        let taxonomy = await app.services.settings.categories()
        let now = app.services.time.now()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let intake = complaint.intake

        let needsPersonalData = ActionPermission.needsPersonalData(member, complaint)
        let revealed = reveal && needsPersonalData
        if revealed {
            try await app.services.complaints.recordPersonalDataView(of: complaint.id, by: user.id, purpose: "web view")
        }
        let customer: [String: Any] = [
            "name": intake.customer.name,
            "phone": intake.customer.phone.map { revealed ? $0 : Masking.phone($0) } as Any,
            "email": intake.customer.email.map { revealed ? $0 : Masking.email($0) } as Any,
            "customerId": intake.customer.customerID as Any,
            // A chat customer known only by their id there has nothing to reveal.
            "masked": !revealed,
            "canReveal": needsPersonalData && !revealed
                && (intake.customer.phone != nil || intake.customer.email != nil),
        ]

        // What the customer was sent, on which channel, and whether it arrived: the address masked like the rest.
        let notices = try await app.services.complaints.customerMessages(of: complaint.id).map { message in
            let address: String
            if revealed {
                address = message.recipient
            } else {
                switch message.channel {
                case "sms": address = Masking.phone(message.recipient)
                // `account/openid`: the account in full, the follower's id cut.
                case "wechat": address = String(message.recipient.prefix { $0 != "/" }) + "/…"
                default: address = Masking.email(message.recipient)
                }
            }
            return [
                "at": formatting.dateTime(message.createdAt),
                "kind": app.t("template_\(message.topic.dropFirst("customer.".count))"),
                "channel": app.t("channel_\(message.channel)"), "address": address,
                "status": message.status.rawValue, "statusLabel": app.t("outbox_status_\(message.status.rawValue)"),
                "sent": message.sentAt.map(formatting.dateTime) as Any, "error": message.lastError as Any,
                "body": message.body,
            ] as [String: Any]
        }

        // The open and recent complaints that read most like this one: a duplicate, or one cause behind many.
        // Each can join an incident, or (the same customer's, still open) be merged into this one, in one step.
        let mayLink = ActionPermission.allows(.linkIncident, member, complaint)
        let mayMerge = complaint.state.isOpen && ActionPermission.allows(.merge, member, complaint)
        let openIncidents = mayLink ? try await app.services.incidents.openIncidents() : []
        var similar: [[String: Any]] = []
        for match in try await app.services.similar.similar(to: complaint) {
            let sameCustomer = RepeatRule.sameCustomer(match.customer, intake.customer)
            similar.append([
                "number": match.number, "subject": match.subject, "state": app.text(match.state.label),
                "received": formatting.dateTime(match.receivedAt), "score": "\(Int((match.score * 100).rounded()))%",
                "sameCustomer": sameCustomer, "incident": match.incident as Any,
                "mayMerge": mayMerge && sameCustomer && match.state.isOpen,
                "mayLink": mayLink && match.state.isOpen && match.incident == nil && !openIncidents.isEmpty,
                "mayOpenIncident": IncidentService.mayManage(user) && match.state.isOpen && match.incident == nil,
                "defaultReason": app.t("merge_default_reason", ["number": complaint.number]),
                "pageNumber": complaint.number,
            ])
        }
        let incidentOptions = openIncidents.map { incident in
            [
                "value": incident.number, "label": "\(incident.number) \(incident.title)",
                "selected": incident.number == complaint.incident,
            ] as [String: Any]
        }
        // What was merged into this complaint stays readable here: each duplicate's words and its notes.
        let mayReadInternalNotes = ActionPermission.mayReadInternalNotes(member, complaint)
        var mergedDuplicates: [[String: Any]] = []
        for duplicate in try await app.services.complaints.merged(into: complaint.number) {
            let notes = try await app.services.complaints.history(of: duplicate.complaint.id).compactMap {
                event -> [String: Any]? in
                guard case .noteAdded(let note) = event.change, !note.isInternal || mayReadInternalNotes else {
                    return nil
                }
                return [
                    "at": formatting.dateTime(event.at), "text": note.text, "internal": note.isInternal,
                    "actor": event.actor.name,
                ]
            }
            mergedDuplicates.append([
                "number": duplicate.complaint.number, "received": formatting.dateTime(duplicate.complaint.receivedAt),
                "subject": duplicate.complaint.intake.subject, "description": duplicate.complaint.intake.description,
                "notes": notes, "hasNotes": !notes.isEmpty,
            ])
        }

        let history = try await app.services.complaints.history(of: complaint.id)
        let mayReadInternal = ActionPermission.mayReadInternalNotes(member, complaint)
        let describer = EventDescription(app: app, directory: directory, taxonomy: taxonomy, formatting: formatting)
        let events: [[String: Any]] = history.reversed().compactMap { event in
            if case .noteAdded(let note) = event.change, note.isInternal, !mayReadInternal { return nil }
            let (title, details, files) = describer.describe(event.change)
            var isInternal = false
            if case .noteAdded(let note) = event.change { isInternal = note.isInternal }
            return [
                "sequence": event.sequence, "at": formatting.dateTime(event.at), "title": title,
                "actor": event.actor.kind == .staff
                    ? event.actor.name : app.t("actor_\(event.actor.kind.rawValue)"),
                "internal": isInternal,
                "details": details.map { ["label": $0.0, "value": $0.1] }, "hasDetails": !details.isEmpty,
                "files": files.map { attachmentLink($0, number: complaint.number) }, "hasFiles": !files.isEmpty,
            ]
        }

        // One complaint's clocks share its basis (the policy's, by priority and severity): the column names it once.
        let bases = Set(record.clocks.map(\.basis))
        let clocks: [[String: Any]] = record.clocks.map { clock in
            let condition = clock.condition(at: now)
            var left = ""
            if clock.isRunning, let due = clock.dueAt {
                left = formatting.timeLeft(until: due, basis: clock.basis, now: now).text
            }
            return [
                "label": app.text(clock.clock.label), "limit": formatting.limit(clock.limit, basis: clock.basis),
                "basis": bases.count > 1 ? formatting.basisName(clock.basis) : nil as String? as Any,
                "started": formatting.dateTime(clock.startedAt), "due": formatting.dateTime(clock.dueAt),
                "condition": app.t("condition_\(condition.rawValue)"), "conditionCode": condition.rawValue,
                "left": left,
            ]
        }
        let clocksBasis =
            bases.count == 1
            ? bases.first.map { app.t("col_left_basis", ["basis": formatting.basisName($0)]) } : nil

        let workflow = Workflow(policy: policy)
        let available = workflow.availableActions(on: complaint, for: .staff(member))
        // What the model suggested at intake, for the classification form.
        let suggestion =
            available.contains(.assign)
            ? try await app.services.suggestions.suggestion(for: complaint.id)?.suggestion : nil
        var forms = ActionForms(app: app, directory: directory, taxonomy: taxonomy, formatting: formatting)
        forms.viewer = member
        forms.resolutionDue = record.clocks.first { $0.clock == .resolution && $0.isRunning }?.dueAt
        forms.openIncidents = openIncidents.map { ($0.number, "\($0.number) \($0.title)") }
        // The action the loop expects of this viewer comes first and open; the rest follow, closed, in loop order.
        let primary = ComplaintBanner.primaryAction(of: complaint, available: available, viewer: user.id)
        let ordered = primary.map { first in [first] + available.filter { $0 != first } } ?? available
        let actions: [[String: Any]] = ordered.map { action in
            let current = attempt?.action == action ? attempt : nil
            return [
                "name": action.rawValue, "label": app.text(action.label),
                "open": current != nil || (attempt == nil && action == primary), "primary": action == primary,
                "formError": current?.message as Any,
                "suggestion": action == .assign
                    ? suggestion.map { suggestionText($0, directory: directory, taxonomy: taxonomy) } as Any
                    : nil as String? as Any,
                "keptFiles": (current?.attachments ?? []).map { ["id": $0.id, "name": $0.fileName] },
                "multipart": forms.fields(for: action, on: complaint).contains { $0.kind == .files },
                "fields": forms.fields(for: action, on: complaint).map {
                    FieldView.render(
                        $0, action: action, form: current?.form, errors: current?.fieldErrors ?? [:],
                        defaults: defaults(
                            for: action, complaint: complaint, suggestion: suggestion, formatting: formatting, now: now),
                        yesNo: (app.t("yes"), app.t("no")))
                },
            ]
        }

        let banner = ComplaintBanner(app: app, directory: directory, formatting: formatting, describer: describer)
            .context(record, history: history, primary: primary, now: now)
        let proposalSetAside = ComplaintBanner.proposalSetAside(complaint, history: history)

        // A failure that belongs to no action's form is the page's own.
        let pageError: String? = problem ?? attempt.flatMap { $0.action.rawValue.isEmpty ? $0.message : nil }
        let context: [String: Any] = [
            "banner": banner, "proposalSetAside": proposalSetAside.map { app.t($0) } as Any,
            "title": "\(complaint.number) · \(intake.subject)", "returnPath": "/complaints/\(complaint.number)",
            "number": complaint.number, "subject": intake.subject, "version": complaint.version,
            "state": app.text(complaint.state.label), "stateCode": complaint.state.rawValue,
            "resolution": complaint.resolution.map { app.t("resolution_\($0.rawValue)") } as Any,
            "priority": complaint.priority.rawValue, "severity": app.t("severity_\(complaint.severity.rawValue)"),
            "kind": app.t("kind_\(complaint.kind.rawValue)"), "channel": app.t("channel_\(intake.channel.rawValue)"),
            "source": intake.source.map(sourceLabel) as Any,
            "received": formatting.dateTime(complaint.receivedAt), "updated": formatting.dateTime(complaint.updatedAt),
            "closed": formatting.dateTime(complaint.closedAt),
            "repeatOf": complaint.repeatOf as Any, "incident": complaint.incident as Any,
            "hasCase": complaint.hasCaseWriteUp,
            "category": complaint.category.map {
                taxonomy.name(of: complaint.subcategory ?? $0, in: app.state.language)
            }
                as Any,
            "department": directory.departmentName(complaint.department),
            "owner": directory.userName(complaint.owner), "handler": directory.userName(complaint.handler),
            "handlerDue": complaint.handlerDue.map { due -> [String: Any] in
                // A target is counted in calendar time: it is a date the assigner chose, not a policy clock.
                let left = formatting.timeLeft(until: due, basis: .calendar, now: now)
                return [
                    "due": formatting.dateTime(due), "left": complaint.state.isOpen ? left.text : "",
                    "overdue": left.overdue, "soon": left.soon,
                ]
            } as Any,
            "reference": intake.reference as Any, "product": intake.product as Any,
            "description": intake.description, "transcript": intake.transcript as Any,
            "complainedAboutUser": intake.complainedAboutUser.map { directory.userName($0) } as Any,
            "complainedAboutText": intake.complainedAboutText as Any,
            "hasMentions": !complaint.staffMentions.isEmpty,
            "mentions": complaint.staffMentions.map { mention in
                let status = mention.concerned.map { $0 ? "concerned" : "not_concerned" } ?? "unconfirmed"
                return [
                    "name": directory.userName(mention.user), "status": app.t("mention_\(status)"),
                    "unconfirmed": mention.concerned == nil,
                ]
            },
            "complainedAboutDepartment": intake.complainedAboutDepartment.map { directory.departmentName($0) } as Any,
            "remedies": app.list(intake.remedies.map { app.t("remedy_\($0.rawValue)") }),
            "attachments": intake.attachments.map { attachmentLink($0, number: complaint.number) },
            "recording": intake.recording.map { attachmentLink($0, number: complaint.number) } as Any,
            "hasAttachments": !intake.attachments.isEmpty,
            "customer": customer,
            "analysis": complaint.analysis.map {
                [
                    "problemType": $0.problemType, "rootCause": app.t("cause_\($0.rootCause.rawValue)"),
                    "findings": $0.findings, "suggestedSolution": $0.suggestedSolution,
                ]
            } as Any,
            "proposal": complaint.proposal.map {
                [
                    "types": app.list($0.types.map { app.t("solution_\($0.rawValue)") }),
                    "description": $0.description, "compensation": $0.compensation.map { "¥\($0)" } as Any,
                    "approver": $0.requiredApprover.map { app.text($0.label) } as Any,
                ]
            } as Any,
            "pendingDelay": complaint.pendingDelay.map {
                ["reason": $0.reason, "until": formatting.dateTime($0.until)]
            } as Any,
            "satisfaction": complaint.satisfaction as Any, "contactAttempts": complaint.contactAttempts,
            "reopenCount": complaint.reopenCount,
            "recused": complaint.isRecused(user.id),
            "unconfirmedMentions":
                (complaint.unconfirmedMentions.isEmpty
                ? nil
                : [
                    "title": app.t(
                        "mentions_title",
                        ["names": app.list(complaint.unconfirmedMentions.map { directory.userName($0) })]),
                    "mayConfirm": available.contains(.confirmMention),
                    "confirmLabel": app.text(ActionName.confirmMention.label),
                ]) as Any,
            "notices": notices, "hasNotices": !notices.isEmpty, "similar": similar, "hasSimilar": !similar.isEmpty,
            "similarHint": app.t("similar_hint", ["days": "\(SimilarComplaints.recentDays)"]),
            "incidentOptions": incidentOptions, "mergedInto": complaint.mergedInto as Any,
            "mergedDuplicates": mergedDuplicates, "hasMergedDuplicates": !mergedDuplicates.isEmpty,
            "clocks": clocks, "clocksBasis": clocksBasis as Any, "events": events, "actions": actions,
            "noActions": actions.isEmpty,
            "done": done.map { app.t("flash_done", ["action": app.text($0.label)]) } as Any,
            "pageError": pageError as Any,
        ]
        return app.page("complaint", context, status: status)
    }

    /// Sensible starting values: for the classification, what the intake said (the department complained about,
    /// the channel's routing) and otherwise what the model suggested, never less urgent than the intake's own
    /// judgement; tomorrow's end of day for a delay.
    private func defaults(
        for action: ActionName, complaint: Complaint, suggestion: ClassificationSuggestion?, formatting: WebFormatting,
        now: Date
    ) -> [String: String] {
        switch action {
        case .assign:
            let suggestedPriority = suggestion?[.priority].flatMap(Priority.init(rawValue:))
            let suggestedSeverity = suggestion?[.severity].flatMap(Severity.init(rawValue:))
            return [
                "priority": min(complaint.priority, suggestedPriority ?? complaint.priority).rawValue,
                "severity": max(complaint.severity, suggestedSeverity ?? complaint.severity).rawValue,
                "kind": suggestion?[.kind] ?? complaint.kind.rawValue,
                "department": (complaint.intake.complainedAboutDepartment ?? complaint.intake.defaultDepartment)?
                    .rawValue
                    ?? suggestion?[.department] ?? "",
                "category": complaint.intake.defaultCategory ?? suggestion?[.subcategory] ?? suggestion?[.category]
                    ?? "",
            ]
        case .requestDelay:
            return ["until": formatting.inputDateTime(now.addingTimeInterval(2 * 86_400))]
        default:
            return [:]
        }
    }

    /// "建议（根据历史投诉）：分类 物流 › 延误 82%，部门 物流部 75%…": each suggested value with its confidence.
    private func suggestionText(
        _ suggestion: ClassificationSuggestion, directory: Directory, taxonomy: CategoryTaxonomy
    ) -> String {
        let taxonomyName = { (code: String) in taxonomy.name(of: code, in: app.state.language) }
        var parts: [String] = []
        func add(_ target: ClassificationModel.Target, _ label: String, _ value: (String) -> String) {
            guard let prediction = suggestion.values[target] else { return }
            let percent = Int((prediction.confidence * 100).rounded())
            parts.append("\(label) \(value(prediction.label)) \(percent)%")
        }
        add(.category, app.t("f_category"), taxonomyName)
        add(.subcategory, app.t("f_subcategory"), taxonomyName)
        add(.kind, app.t("f_kind")) { app.t("kind_\($0)") }
        add(.priority, app.t("f_priority")) { $0 }
        add(.severity, app.t("f_severity")) { app.t("severity_\($0)") }
        add(.department, app.t("f_department")) { directory.departmentName(DepartmentID($0)) }
        return app.t("suggestion_intro") + parts.joined(separator: app.state.language == .zhHans ? "，" : ", ")
    }

    /// `wechat:demo` as "微信公众号 demo": the kind of source in the reader's language, its name as configured.
    private func sourceLabel(_ text: String) -> String {
        guard let source = IntakeSource(text) else { return text }
        return app.t("source_\(source.kind.rawValue)") + " " + source.name
    }

    private func attachmentLink(_ reference: AttachmentReference, number: String) -> [String: Any] {
        [
            "name": reference.fileName,
            "size": app.fileSize(reference.size),
            "link": "/complaints/\(number)/attachments/\(reference.id)",
            "image": Thumbnail.shows(reference),
        ]
    }

    private func act(_ request: Request, number: String, action rawAction: String) async throws -> Response {
        let user = try app.state.requireStaff()
        guard let name = ActionName(rawValue: rawAction) else { throw WebError.notFound }
        let form = try await app.form(request)
        let record = try await record(number)
        let (_, calendar) = await app.services.settings.current()
        let taxonomy = await app.services.settings.categories()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        var attachments: [AttachmentReference] = []
        do {
            // Files kept from an earlier failed try of this form, then the ones just chosen.
            for id in form.all("keptFile") {
                if let kept = try await app.services.attachments.reference(id: id) { attachments.append(kept) }
            }
            let files = form.files("files")
            if files.count > WebForm.maxFiles {
                throw DomainError.validation([
                    FieldIssue(
                        field: "files", code: "too_many",
                        message: LocalizedText(
                            zh: "一次最多上传 \(WebForm.maxFiles) 个文件", en: "at most \(WebForm.maxFiles) files at once"))
                ])
            }
            for file in files {
                attachments.append(
                    try await app.services.attachments.store(
                        file.bytes, fileName: file.fileName, contentType: file.contentType))
            }
            var forms = ActionForms(
                app: app, directory: try await app.directory(), taxonomy: taxonomy, formatting: formatting)
            forms.viewer = user.staffMember
            let action = try forms.action(name, from: form, attachments: attachments)
            _ = try await app.services.complaints.perform(
                action, on: record.complaint.id, expectedVersion: Int(form["version"]), by: .staff(user.staffMember))
            // The page opens at its top, where the confirmation and the new state are.
            return WebRenderer.redirect(to: "/complaints/\(number)?done=\(name.rawValue)")
        } catch let error as DomainError {
            var fieldErrors: [String: String] = [:]
            var message = error.message(in: app.state.language)
            if case .validation(let issues) = error {
                for issue in issues { fieldErrors[issue.field] = issue.message.text(in: app.state.language) }
                message = app.t("form_has_errors")
            }
            let status = error.httpStatus
            let attempt = Attempt(
                action: name, form: form, attachments: attachments, message: message, fieldErrors: fieldErrors)
            return try await show(number: number, attempt: attempt, status: status)
        } catch StoreError.versionConflict {
            let attempt = Attempt(
                action: name, form: form, attachments: attachments, message: app.t("error_conflict_message"),
                fieldErrors: [:])
            return try await show(number: number, attempt: attempt, status: .conflict)
        } catch APIError.invalid(let issues) {
            var fieldErrors: [String: String] = [:]
            for issue in issues { fieldErrors["files"] = issue.message.text(in: app.state.language) }
            let attempt = Attempt(
                action: name, form: form, attachments: attachments, message: app.t("form_has_errors"),
                fieldErrors: fieldErrors)
            return try await show(number: number, attempt: attempt, status: .unprocessableContent)
        }
    }

    private func download(number: String, id: String) async throws -> Response {
        _ = try app.state.requireStaff()
        let record = try await record(number)
        // Only files that belong to this complaint: its intake or any event of its history.
        let history = try await app.services.complaints.history(of: record.complaint.id)
        let belongs = history.contains { event in Self.attachments(of: event.change).contains { $0.id == id } }
        guard belongs, let (reference, bytes) = try await app.services.attachments.load(id: id) else {
            throw WebError.notFound
        }
        // Pictures and the call recording are shown in the page (an <img>, an <audio> player); anything else is a
        // download, so no uploaded HTML or SVG ever runs in the site's origin.
        let inline =
            (reference.contentType.hasPrefix("image/") || reference.contentType.hasPrefix("audio/"))
            && !reference.contentType.contains("svg")
        let disposition =
            "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(FormEncoding.encode(reference.fileName))"
        return Response(
            status: .ok,
            headers: [
                .contentType: inline ? reference.contentType : "application/octet-stream",
                .contentDisposition: disposition, .cacheControl: "private, max-age=3600",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func attachments(of change: EventChange) -> [AttachmentReference] {
        switch change {
        case .received(let received): received.intake.attachments + (received.intake.recording.map { [$0] } ?? [])
        case .informationProvided(let note), .resultReturned(let note): note.attachments
        case .progressRecorded(let progress): progress.evidence
        case .messageReceived(let message): message.attachments
        default: []
        }
    }
}

/// How one action field is shown: its input kind, its options, and the value typed last time or a default.
enum FieldView {
    static func render(
        _ field: ActionField, action: ActionName, form: WebForm?, errors: [String: String], defaults: [String: String],
        yesNo: (yes: String, no: String)
    ) -> [String: Any] {
        let id = "f-\(action.rawValue)-\(field.name)"
        let typed = form?.fields[field.name] ?? []
        let value = typed.first ?? defaults[field.name] ?? ""
        var view: [String: Any] = [
            "name": field.name, "id": id, "label": field.label, "required": field.required,
            "fieldHint": field.hint as Any, "fieldError": errors[field.name] as Any, "value": value,
        ]
        switch field.kind {
        case .text: view["isText"] = true
        case .textarea: view["isTextarea"] = true
        case .select: view["isSelect"] = true
        case .checkboxes: view["isCheckboxes"] = true
        case .yesNo: view["isChoice"] = true
        case .score: view["isChoice"] = true
        case .money: view["isMoney"] = true
        case .dateTime: view["isDateTime"] = true
        case .files: view["isFiles"] = true
        case .checkbox:
            view["isCheckbox"] = true
            view["checked"] = ["1", "on", "true", "yes"].contains(value)
        }
        var options = field.options
        if field.kind == .yesNo { options = [("yes", yesNo.yes), ("no", yesNo.no)] }
        if field.kind == .score { options = (1...5).map { ("\($0)", "\($0)") } }
        view["options"] = options.enumerated().map { index, option in
            [
                "value": option.value, "label": option.label, "id": "\(id)-\(index)",
                "selected": field.kind == .checkboxes ? typed.contains(option.value) : option.value == value,
                "departments": field.departments[option.value] as Any,
            ] as [String: Any]
        }
        view["filterBy"] = field.filteredBy.map { "f-\(action.rawValue)-\($0)" } as Any
        return view
    }
}
