import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// The customer portal: no staff login. A customer submits a complaint with photos, gets its number, tracks it by
/// number and phone, answers a proposal and confirms the result with a rating.
struct PortalPages {
    let app: WebApp
    /// How many photos one submission may carry.
    static let maxPhotos = 10

    func register(on web: RouterGroup<AppRequestContext>) {
        web.get("/portal") { _, _ in app.page("portal_home", ["title": app.t("portal_title"), "portal": true]) }
        web.get("/portal/submit") { _, _ in
            submitPage(form: WebForm(fields: ["submissionKey": [RandomToken.make()]]))
        }
        web.post("/portal/submit") { request, _ in try await submit(request) }
        web.get("/portal/track") { _, _ in trackPage(number: "", error: nil) }
        web.post("/portal/track") { request, _ in try await track(request) }
        web.get("/portal/open/:id/:token") { request, context in
            try await open(
                request, id: context.parameters.get("id") ?? "", token: context.parameters.get("token") ?? "")
        }
        web.get("/portal/complaint") { request, _ in
            try await complaintPage(done: request.uri.queryParameters["done"].map(String.init))
        }
        web.get("/portal/complaint/attachments/:id") { _, context in
            try await attachment(id: context.parameters.get("id") ?? "")
        }
        web.post("/portal/complaint/:step") { request, context in
            try await respond(request, step: context.parameters.get("step") ?? "")
        }
        web.post("/portal/signout") { request, _ in
            _ = try await app.form(request)
            if let token = request.cookies[WebSessionService.cookieName]?.value {
                try await app.sessions.close(token: token)
            }
            var response = WebRenderer.redirect(to: "/portal")
            response.setCookie(
                Cookie(name: WebSessionService.cookieName, value: "", maxAge: 0, path: "/", httpOnly: true))
            return response
        }
    }

    // MARK: - Submit

    private func submitPage(
        form: WebForm, errors: [String: String] = [:], message: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = [:]
        for name in [
            "customer.name", "customer.phone", "customer.email", "reference", "product", "subject", "description",
            "submissionKey",
        ] {
            values[name.replacingOccurrences(of: ".", with: "_")] = form.fields[name]?.first ?? ""
        }
        var errorValues: [String: Any] = [:]
        for (field, text) in errors { errorValues[field.replacingOccurrences(of: ".", with: "_")] = text }
        let remedies = form.fields["remedies"] ?? []
        return app.page(
            "portal_submit",
            [
                "title": app.t("portal_submit_title"), "portal": true, "returnPath": "/portal/submit", "values": values,
                "errors": errorValues,
                "photosHint": app.t(
                    "portal_photos_hint",
                    [
                        "count": "\(Self.maxPhotos)",
                        "size": app.fileSize(app.services.limits.upload),
                    ]),
                "message": message as Any,
                "remedies": Remedy.allCases.map {
                    [
                        "value": $0.rawValue, "label": app.t("remedy_\($0.rawValue)"),
                        "selected": remedies.contains($0.rawValue),
                    ]
                },
            ], status: status)
    }

    private func submit(_ request: Request) async throws -> Response {
        let form = try await app.form(request)
        var errors: [String: String] = [:]
        let photos = form.files("photos")
        if photos.count > Self.maxPhotos {
            errors["photos"] = app.t("portal_too_many_photos", ["count": "\(Self.maxPhotos)"])
        }
        if form.optional("customer.phone") == nil { errors["customer.phone"] = app.t("portal_phone_required") }
        let intake = Intake(
            channel: .web, kind: .complaint,
            customer: CustomerDetails(
                name: form["customer.name"], phone: form.optional("customer.phone"),
                email: form.optional("customer.email")),
            reference: form.optional("reference"), product: form.optional("product"), subject: form["subject"],
            description: form["description"], remedies: form.all("remedies").compactMap(Remedy.init(rawValue:)))
        for issue in intake.problems() where errors[issue.field] == nil {
            errors[issue.field] = issue.message.text(in: app.state.language)
        }
        guard errors.isEmpty else {
            return submitPage(
                form: form, errors: errors, message: app.t("form_has_errors"), status: .unprocessableContent)
        }
        var withPhotos = intake
        for photo in photos {
            withPhotos.attachments.append(
                try await app.services.attachments.store(
                    photo.bytes, fileName: photo.fileName, contentType: photo.contentType))
        }
        // The form's one-time key makes a double click or a retried post return the first complaint.
        let (record, _) = try await app.services.complaints.create(
            withPhotos, idempotencyKey: form.optional("submissionKey").map { "portal-\($0)" }, by: .customer)
        return try await openCustomerSession(
            for: record.complaint.id, request: request, redirect: "/portal/complaint?done=submitted")
    }

    private func openCustomerSession(for id: ComplaintID, request: Request, redirect: String) async throws -> Response {
        if let old = request.cookies[WebSessionService.cookieName]?.value { try await app.sessions.close(token: old) }
        let (token, _) = try await app.sessions.open(.customer, complaint: id)
        var response = WebRenderer.redirect(to: redirect)
        response.setCookie(SignInPages.sessionCookie(token))
        return response
    }

    // MARK: - Track

    private func trackPage(number: String, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        app.page(
            "portal_track",
            [
                "title": app.t("portal_track_title"), "portal": true, "number": number, "error": error as Any,
                "returnPath": "/portal/track",
            ],
            status: status)
    }

    private func track(_ request: Request) async throws -> Response {
        let form = try await app.form(request)
        let number = form["number"]
        let phone = form["phone"]
        let record: ComplaintRecord
        do {
            record = try await app.services.tracking.complaint(number: number, phone: phone)
        } catch TrackingRefusal.rateLimited {
            return trackPage(number: number, error: app.t("portal_track_rate_limited"), status: .tooManyRequests)
        } catch TrackingRefusal.notFound {
            return trackPage(number: number, error: app.t("portal_track_not_found"), status: .notFound)
        }
        return try await openCustomerSession(for: record.complaint.id, request: request, redirect: "/portal/complaint")
    }

    /// The link in the customer's messages: opens their complaint without the number-and-phone form.
    private func open(_ request: Request, id: String, token: String) async throws -> Response {
        let complaint = ComplaintID(id)
        guard try await app.services.links.verify(token, for: complaint),
            try await app.services.complaints.record(id: complaint) != nil
        else {
            return trackPage(number: "", error: app.t("portal_link_invalid"), status: .notFound)
        }
        return try await openCustomerSession(for: complaint, request: request, redirect: "/portal/complaint")
    }

    // MARK: - The customer's complaint

    private func complaintPage(
        done: String? = nil, error: String? = nil, form: WebForm? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = try app.state.requireCustomerComplaint()
        guard let record = try await app.services.complaints.record(id: id) else { throw WebError.notFound }
        let complaint = record.complaint
        let history = try await app.services.complaints.history(of: id)
        let (_, calendar) = await app.services.settings.current()
        let formatting = WebFormatting(calendar: calendar, language: app.state.language, strings: app.renderer.strings)
        let language = app.state.language
        let waiting = complaint.state == .proposed
        let steps = CustomerTimeline.steps(of: history, in: language).reversed().map {
            ["at": formatting.dateTime($0.at), "text": $0.text]
        }
        let score = form?.fields["score"]?.first ?? ""
        func file(_ reference: AttachmentReference) -> [String: Any] {
            [
                "name": reference.fileName, "size": app.fileSize(reference.size),
                "link": "/portal/complaint/attachments/\(reference.id)", "image": Thumbnail.shows(reference),
            ]
        }
        let uploads = try await app.services.complaints.customerUploads(of: id)
        // The result is shown while the customer is asked to confirm it, and kept on the page after.
        let result =
            [.verifying, .returnVisit, .awaitingCountersign, .closed].contains(complaint.state)
            ? try await app.services.complaints.customerResult(of: id, in: language) : nil
        return app.page(
            "portal_complaint",
            [
                "title": app.t("portal_complaint_title", ["number": complaint.number]), "portal": true,
                "returnPath": "/portal/complaint",
                "number": complaint.number, "subject": complaint.intake.subject,
                "state": CustomerTimeline.stateText(complaint.state, in: language),
                "received": formatting.dateTime(complaint.receivedAt), "steps": steps,
                "proposal": waiting ? complaint.proposal?.description as Any : nil as String? as Any,
                "compensation": waiting
                    ? complaint.proposal?.compensation.map { "¥\($0)" } as Any : nil as String? as Any,
                "canRespond": waiting, "canConfirm": complaint.state == .verifying,
                "canProvide": complaint.state == .awaitingInformation,
                // Beside the steps that ask them something, the customer can always write to us while it is open.
                "canWrite": complaint.state.isOpen && complaint.state != .awaitingInformation,
                "updatesOff": complaint.progressUpdatesOptedOut, "canChooseUpdates": complaint.state.isOpen,
                "satisfaction": complaint.customerRating as Any,
                "scores": (1...5).map { ["value": "\($0)", "checked": "\($0)" == score] },
                "comment": form?.fields["comment"]?.first ?? "",
                "notice": notice(done, record: record, calendar: calendar) as Any,
                "error": error as Any,
                "uploads": uploads.map(file), "hasUploads": !uploads.isEmpty,
                "result": result.map { result in
                    [
                        "summary": result.summary, "evidence": result.evidence.map(file),
                        "hasEvidence": !result.evidence.isEmpty,
                    ]
                } as Any,
            ], status: status)
    }

    /// What the page confirms after a step. After submitting, the promise names when we will be in touch: the first
    /// contact's deadline ("我们将在 12月4日 14:00 前联系您"), not "as soon as possible".
    private func notice(_ done: String?, record: ComplaintRecord, calendar: BusinessCalendar) -> String? {
        guard let done else { return nil }
        guard done == "submitted",
            let due = record.clocks.first(where: { $0.clock == .firstContact && $0.isRunning })?.dueAt
        else { return app.t("portal_done_\(done)") }
        let format = app.state.language == .zhHans ? "M月d日 HH:mm" : "d MMM HH:mm"
        let formatter = WebFormatting.formatter(format, in: calendar.timeZone)
        return app.t("portal_done_submitted_by", ["due": formatter.string(from: due)])
    }

    /// A file the customer sent, or the evidence of their result: shown only to the customer following this
    /// complaint, pictures in the page and anything else as a download.
    private func attachment(id: String) async throws -> Response {
        let complaint = try app.state.requireCustomerComplaint()
        guard try await app.services.complaints.customerMayOpen(id, of: complaint),
            let (reference, bytes) = try await app.services.attachments.load(id: id)
        else { throw WebError.notFound }
        let inline = Thumbnail.shows(reference)
        return Response(
            status: .ok,
            headers: [
                .contentType: inline ? reference.contentType : "application/octet-stream",
                .contentDisposition:
                    "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(FormEncoding.encode(reference.fileName))",
                .cacheControl: "private, max-age=3600", .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func respond(_ request: Request, step: String) async throws -> Response {
        let id = try app.state.requireCustomerComplaint()
        let form = try await app.form(request)
        let action: ComplaintAction
        switch step {
        case "respond":
            guard ["accept", "reject"].contains(form["decision"]) else {
                return try await complaintPage(
                    error: app.t("portal_choose_answer"), form: form, status: .unprocessableContent)
            }
            action = .respondToProposal(accepted: form["decision"] == "accept", comment: form["comment"])
        case "confirm":
            let solved = form["solved"] == "yes"
            let satisfied = form["satisfied"] == "yes"
            guard ["yes", "no"].contains(form["solved"]), ["yes", "no"].contains(form["satisfied"]) else {
                return try await complaintPage(
                    error: app.t("portal_choose_answer"), form: form, status: .unprocessableContent)
            }
            action = .verify(solved: solved, satisfied: satisfied, score: Int(form["score"]), note: form["comment"])
        case "message":
            action = .receiveMessage(.init(channel: .web, text: form["comment"]))
        case "updates":
            action = .setUpdatePreference(optOut: form["updates"] == "off")
        case "information":
            var files: [AttachmentReference] = []
            for photo in form.files("photos").prefix(Self.maxPhotos) {
                files.append(
                    try await app.services.attachments.store(
                        photo.bytes, fileName: photo.fileName, contentType: photo.contentType))
            }
            action = .provideInformation(note: form["comment"], attachments: files)
        default:
            throw WebError.notFound
        }
        do {
            _ = try await app.services.complaints.perform(action, on: id, expectedVersion: nil, by: .customer)
            return WebRenderer.redirect(to: "/portal/complaint?done=\(step)")
        } catch let error as DomainError {
            let message: String
            if case .validation(let issues) = error {
                message = issues.map { issue in
                    app.state.language.labelled(
                        app.t("portal_field_\(issue.field)"), issue.message.text(in: app.state.language))
                }.joined(separator: app.state.language.clauseSeparator)
            } else {
                message = error.message(in: app.state.language)
            }
            return try await complaintPage(error: message, form: form, status: error.httpStatus)
        }
    }
}
