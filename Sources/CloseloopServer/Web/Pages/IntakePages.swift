import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The agents' intake form (phone, walk-in, letter…): quick with the keyboard; it shows the customer's earlier
/// complaints as soon as their phone or email is typed, and looks for recent ones again before saving so a repeat
/// complaint is recognised. After saving, the form comes back empty for the next caller, with the number in view.
struct IntakePages {
    let app: WebApp

    static let channels: [Channel] = [.phone, .walkIn, .letter, .email, .suggestionBox, .im, .internal, .web]

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/intake") { _, _ in
            _ = try app.state.require(anyOf: [.agent, .supervisor])
            return try await page(form: WebForm(fields: ["submissionKey": [RandomToken.make()]]))
        }
        web.get("/intake/saved/:number") { _, context in
            _ = try app.state.require(anyOf: [.agent, .supervisor])
            guard let number = context.parameters.get("number"),
                try await app.services.complaints.record(number: number) != nil
            else { throw WebError.notFound }
            return try await page(form: WebForm(fields: ["submissionKey": [RandomToken.make()]]), saved: number)
        }
        web.post("/intake") { request, _ in try await submit(request) }
        web.get("/intake/similar") { request, _ in try await similar(request) }
        web.get("/intake/customer") { request, _ in try await customerHistory(request) }
    }

    /// The complaints the customer filed before, found by the phone (in any format) or email being typed, as a
    /// fragment beside the form: the agent sees an open complaint before taking a second one about the same thing.
    /// Only what identifies the complaint is shown; the contact details are the ones the agent just typed.
    private func customerHistory(_ request: Request) async throws -> Response {
        _ = try app.state.require(anyOf: [.agent, .supervisor])
        let parameters = request.uri.queryParameters
        func typed(_ name: String) -> String? {
            parameters.get(name).map { String($0.prefix(TextRules.short)) }
        }
        let calendar = await app.services.settings.current().calendar
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let found = try await app.services.complaints.customerHistory(phone: typed("phone"), email: typed("email"))
        return app.page(
            "intake_customer",
            [
                "complaints": found.map { complaint in
                    [
                        "number": complaint.number, "subject": complaint.subject,
                        "state": app.text(complaint.state.label), "stateCode": complaint.state.rawValue,
                        "open": complaint.state.isOpen, "received": formatting.dateTime(complaint.receivedAt),
                    ]
                },
                "hasComplaints": !found.isEmpty,
            ])
    }

    /// The open and recent complaints that read like what the agent is typing, as a fragment the form shows beside
    /// itself: a duplicate, or one more customer about a cause already known.
    private func similar(_ request: Request) async throws -> Response {
        _ = try app.state.require(anyOf: [.agent, .supervisor])
        let text = String((request.uri.queryParameters.get("text") ?? "").prefix(Self.similarTextLimit))
        let calendar = await app.services.settings.current().calendar
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let matches =
            text.trimmingCharacters(in: .whitespacesAndNewlines).count < 4
            ? [] : try await app.services.similar.similar(toText: text)
        return app.page(
            "intake_similar",
            [
                "similar": matches.map { match in
                    [
                        "number": match.number, "subject": match.subject, "state": app.text(match.state.label),
                        "received": formatting.dateTime(match.receivedAt),
                        "score": "\(Int((match.score * 100).rounded()))%",
                    ]
                },
                "hasSimilar": !matches.isEmpty,
            ])
    }

    /// What is looked at of the typed text: the opening is what decides a likeness (`SimilarComplaints`).
    static let similarTextLimit = 2_000

    private func page(
        form: WebForm, errors: [String: String] = [:], message: String? = nil, candidates: [[String: Any]] = [],
        keptFiles: [AttachmentReference] = [], keptRecording: AttachmentReference? = nil, saved: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let directory = try await app.directory()
        let taxonomy = await app.services.settings.categories()
        func value(_ name: String) -> String { form.fields[name]?.first ?? "" }
        func options(_ values: [(String, String)], selected: String) -> [[String: Any]] {
            values.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
        }
        let remedies = form.fields["remedies"] ?? []
        var fieldValues: [String: Any] = [:]
        for name in [
            "customer.name", "customer.phone", "customer.email", "customer.customerId", "reference", "product",
            "subject", "description", "transcript", "receivedAt", "submissionKey", "complainedAboutText",
        ] {
            fieldValues[name.replacingOccurrences(of: ".", with: "_")] = value(name)
        }
        var errorValues: [String: Any] = [:]
        for (field, text) in errors { errorValues[field.replacingOccurrences(of: ".", with: "_")] = text }
        let context: [String: Any] = [
            "title": app.t("intake_title"), "returnPath": "/intake",
            "values": fieldValues, "errors": errorValues, "message": message as Any,
            "channels": options(
                Self.channels.map { ($0.rawValue, app.t("channel_\($0.rawValue)")) },
                selected: value("channel").isEmpty ? Channel.phone.rawValue : value("channel")),
            "kinds": options(
                ComplaintKind.allCases.map { ($0.rawValue, app.t("kind_\($0.rawValue)")) },
                selected: value("kind").isEmpty ? "complaint" : value("kind")),
            "priorities": options(
                Priority.allCases.map { ($0.rawValue, $0.rawValue) },
                selected: value("priority").isEmpty ? "P2" : value("priority")),
            "severities": options(
                Severity.allCases.map { ($0.rawValue, app.t("severity_\($0.rawValue)")) },
                selected: value("severity").isEmpty ? "dissatisfied" : value("severity")),
            "remedies": Remedy.allCases.map {
                [
                    "value": $0.rawValue, "label": app.t("remedy_\($0.rawValue)"),
                    "selected": remedies.contains($0.rawValue),
                ]
            },
            "staff": [["value": "", "label": "—", "selected": false]]
                + directory.userOptions(holding: Set(Role.allCases), selected: value("complainedAboutUser")),
            "departments": [["value": "", "label": "—", "selected": false]]
                + directory.departmentOptions(selected: value("complainedAboutDepartment")),
            "categories": [["value": "", "label": "—", "selected": false]]
                + options(app.categoryChoices(taxonomy).map { ($0.value, $0.label) }, selected: value("category")),
            "candidates": candidates, "hasCandidates": !candidates.isEmpty, "saved": saved as Any,
            "keptFiles": keptFiles.map { ["id": $0.id, "name": $0.fileName] },
            "keptRecording": keptRecording.map { ["id": $0.id, "name": $0.fileName] } as Any,
        ]
        return app.page("intake", context, status: status)
    }

    private func submit(_ request: Request) async throws -> Response {
        let user = try app.state.require(anyOf: [.agent, .supervisor])
        let form = try await app.form(request)
        let (policy, calendar) = await app.services.settings.current()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        var attachments: [AttachmentReference] = []
        for id in form.all("keptFile") {
            if let kept = try await app.services.attachments.reference(id: id) { attachments.append(kept) }
        }
        for file in form.files("files").prefix(20) {
            attachments.append(
                try await app.services.attachments.store(
                    file.bytes, fileName: file.fileName, contentType: file.contentType))
        }
        // The call's recording, kept like the attachments when the form comes back with a problem.
        var recording = try await form.optional("keptRecording").asyncFlatMap {
            try await app.services.attachments.reference(id: $0)
        }
        if let file = form.files("recording").first {
            recording = try await app.services.attachments.store(
                file.bytes, fileName: file.fileName, contentType: file.contentType)
        }
        var errors: [String: String] = [:]
        var receivedAt: Date?
        if let text = form.optional("receivedAt") {
            receivedAt = formatting.parseInputDateTime(text)
            if receivedAt == nil { errors["receivedAt"] = app.t("error_date_format") }
        }
        var intake = Intake(
            channel: Channel(rawValue: form["channel"]) ?? .phone,
            kind: ComplaintKind(rawValue: form["kind"]) ?? .complaint,
            customer: CustomerDetails(
                name: form["customer.name"], phone: form.optional("customer.phone"),
                email: form.optional("customer.email"), customerID: form.optional("customer.customerId")),
            reference: form.optional("reference"), product: form.optional("product"), subject: form["subject"],
            description: form["description"], transcript: form.optional("transcript"),
            complainedAboutUser: form.optional("complainedAboutUser").map { UserID($0) },
            complainedAboutText: form.optional("complainedAboutText"),
            complainedAboutDepartment: form.optional("complainedAboutDepartment").map { DepartmentID($0) },
            remedies: form.all("remedies").compactMap(Remedy.init(rawValue:)),
            priority: Priority(rawValue: form["priority"]) ?? .p2,
            severity: Severity(rawValue: form["severity"]) ?? .dissatisfied, attachments: attachments,
            recording: recording)
        intake.defaultCategory = form.optional("category")
        for issue in intake.problems() { errors[issue.field] = issue.message.text(in: app.state.language) }
        guard errors.isEmpty else {
            return try await page(
                form: form, errors: errors, message: app.t("form_has_errors"), keptFiles: attachments,
                keptRecording: recording, status: .unprocessableContent)
        }
        // Before the first save, look for the same customer's complaints inside the repeat window.
        if !form.bool("repeatChecked") {
            let candidates = try await recentComplaints(of: intake.customer, policy: policy, formatting: formatting)
            if !candidates.isEmpty {
                return try await page(
                    form: form, message: app.t("intake_repeat_found"), candidates: candidates, keptFiles: attachments,
                    keptRecording: recording)
            }
        }
        do {
            let (record, _) = try await app.services.complaints.create(
                intake, receivedAt: receivedAt, repeatOf: form.optional("repeatOf"),
                idempotencyKey: form.optional("submissionKey").map { "web-intake-\($0)" }, by: .staff(user.staffMember))
            return WebRenderer.redirect(to: "/intake/saved/\(record.complaint.number)")
        } catch DomainError.validation(let issues) {
            for issue in issues { errors[issue.field] = issue.message.text(in: app.state.language) }
            return try await page(
                form: form, errors: errors, message: app.t("form_has_errors"), keptFiles: attachments,
                keptRecording: recording, status: .unprocessableContent)
        }
    }

    /// The customer's complaints received within the repeat window, newest first, by phone or email.
    private func recentComplaints(
        of customer: CustomerDetails, policy: ServicePolicy, formatting: WebFormatting
    ) async throws -> [[String: Any]] {
        let since = app.services.time.now().addingTimeInterval(-Double(policy.repeatWindowDays) * 86_400)
        let found = try await app.services.complaints.customerHistory(
            phone: customer.phone, email: customer.email, since: since)
        return found.map {
            [
                "number": $0.number, "subject": $0.subject, "state": app.text($0.state.label),
                "received": formatting.dateTime($0.receivedAt),
            ]
        }
    }
}

extension Optional {
    /// `flatMap` with an asynchronous transform.
    fileprivate func asyncFlatMap<Result>(_ transform: (Wrapped) async throws -> Result?) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
