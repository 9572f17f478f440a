import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func createComplaint(_ input: Operations.CreateComplaint.Input) async throws -> Operations.CreateComplaint.Output {
        let user = try Identity.requireUser()
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let attachments = try await resolveAttachments(body.attachmentIds ?? [], field: "attachmentIds")
        let recording = try await resolveAttachments(body.recordingId.map { [$0] } ?? [], field: "recordingId").first
        var intake = Intake(
            channel: Channel(rawValue: body.channel.rawValue)!,
            kind: body.kind.flatMap { .init(rawValue: $0.rawValue) } ?? .complaint,
            customer: CustomerDetails(
                name: body.customer.name, phone: body.customer.phone, email: body.customer.email,
                customerID: body.customer.customerId),
            reference: body.reference, product: body.product, subject: body.subject, description: body.description,
            transcript: body.transcript, complainedAboutUser: body.complainedAboutUser.map { UserID($0) },
            complainedAboutText: body.complainedAboutText,
            complainedAboutDepartment: body.complainedAboutDepartment.map { DepartmentID($0) },
            remedies: (body.remedies ?? []).map { Remedy(rawValue: $0.rawValue)! },
            priority: body.priority.flatMap { .init(rawValue: $0.rawValue) } ?? .p2,
            severity: body.severity.flatMap { .init(rawValue: $0.rawValue) } ?? .dissatisfied,
            attachments: attachments, recording: recording)
        intake.defaultCategory = body.category
        let key = input.headers.idempotencyKey?.trimmingCharacters(in: .whitespaces)
        let (record, replayed) = try await complaints.create(
            intake, receivedAt: body.receivedAt, repeatOf: body.repeatOf,
            idempotencyKey: key?.isEmpty == false ? key : nil,
            by: .staff(user.staffMember))
        // The answer echoes what the agent just typed; the intake event already records who took it in, so this is
        // not logged as a view of personal data (a second write for every intake).
        var shown = await presentation(for: user).complaint(record, revealPersonalData: true)
        // Asked for, the complaints that read alike come with the answer: a lookup the plain intake does not pay.
        if input.query.includeSimilar == true {
            shown.similar = try await services.similar.similar(to: record.complaint).map(Self.similar)
        }
        return replayed ? .ok(.init(body: .json(shown))) : .created(.init(body: .json(shown)))
    }

    func getComplaint(_ input: Operations.GetComplaint.Input) async throws -> Operations.GetComplaint.Output {
        let user = try requireStaff()
        let record = try await record(input.path.id)
        return .ok(.init(body: .json(try await revealed(record, to: user, purpose: "view"))))
    }

    func getHistory(_ input: Operations.GetHistory.Input) async throws -> Operations.GetHistory.Output {
        let user = try requireStaff()
        let record = try await record(input.path.id)
        let events = try await complaints.history(of: record.complaint.id)
        return .ok(.init(body: .json(try await presentation(for: user).history(events, of: record.complaint))))
    }

    func getSuggestion(_ input: Operations.GetSuggestion.Input) async throws -> Operations.GetSuggestion.Output {
        _ = try requireStaff()
        let record = try await record(input.path.id)
        guard let recorded = try await services.suggestions.suggestion(for: record.complaint.id) else {
            throw APIError.notFound(what: "suggestion")
        }
        let values = ClassificationModel.Target.allCases.compactMap { target in
            recorded.suggestion.values[target].map {
                Components.Schemas.SuggestedValue(
                    target: .init(rawValue: target.rawValue)!, value: $0.label, confidence: $0.confidence)
            }
        }
        return .ok(
            .init(
                body: .json(
                    .init(suggestedAt: recorded.suggestedAt, modelTrainedAt: recorded.modelTrainedAt, values: values))))
    }

    func getSimilar(_ input: Operations.GetSimilar.Input) async throws -> Operations.GetSimilar.Output {
        _ = try requireStaff()
        let record = try await record(input.path.id)
        let matches = try await services.similar.similar(to: record.complaint)
        return .ok(
            .init(
                body: .json(
                    .init(
                        complaints: matches.map(Self.similar)))))
    }

    static func similar(_ match: SimilarComplaints.Match) -> Components.Schemas.SimilarComplaint {
        .init(
            id: match.id.rawValue, number: match.number, subject: match.subject,
            state: .init(rawValue: match.state.rawValue)!, receivedAt: match.receivedAt, score: match.score)
    }

    func listComplaints(_ input: Operations.ListComplaints.Input) async throws -> Operations.ListComplaints.Output {
        let user = try requireStaff()
        let parameters = input.query
        var query = ComplaintQuery()
        query.states = (parameters.state ?? []).map { ComplaintState(rawValue: $0.rawValue)! }
        query.priorities = (parameters.priority ?? []).map { Priority(rawValue: $0.rawValue)! }
        query.severities = (parameters.severity ?? []).map { Severity(rawValue: $0.rawValue)! }
        query.kinds = (parameters.kind ?? []).map { ComplaintKind(rawValue: $0.rawValue)! }
        query.department = parameters.department.map { DepartmentID($0) }
        query.owner = parameters.owner.map { UserID($0) }
        if parameters.overdue == true { query.dueBefore = services.time.now() }
        query.text = parameters.q?.trimmingCharacters(in: .whitespacesAndNewlines)
        if query.text?.isEmpty == true { query.text = nil }
        query.receivedFrom = parameters.receivedFrom
        query.receivedBefore = parameters.receivedBefore
        query.customerPhone = parameters.customerPhone
        query.order = parameters.sort.flatMap { ComplaintQuery.Order(rawValue: $0.rawValue) } ?? .received
        query.limit = parameters.limit ?? 50
        guard (1...200).contains(query.limit) else {
            throw APIError.badRequest(code: "request.invalid_parameter", message: "limit must be between 1 and 200")
        }
        if let cursor = parameters.cursor {
            guard ComplaintQuery.isValidCursor(cursor) else {
                throw APIError.badRequest(code: "cursor.invalid", message: "The cursor is not one this server issued")
            }
            query.cursor = cursor
        }
        let presentation = await presentation(for: user)
        let items: [Components.Schemas.ComplaintList.ItemsPayloadPayload]
        let next: String?
        if parameters.view == .full {
            let page = try await complaints.list(query)
            (items, next) = (page.records.map { .init(value2: presentation.complaint($0)) }, page.nextCursor)
        } else {
            let page = try await complaints.summaries(query)
            (items, next) = (page.summaries.map { .init(value1: presentation.summary($0)) }, page.nextCursor)
        }
        return .ok(.init(body: .json(.init(items: items, nextCursor: next))))
    }

    /// The complaint with contact details in full where the user's role needs them; such a view is logged.
    func revealed(_ record: ComplaintRecord, to user: UserAccount, purpose: String) async throws
        -> Components.Schemas.Complaint
    {
        let shown = await presentation(for: user).complaint(record, revealPersonalData: true)
        if !shown.personalDataMasked {
            try await complaints.recordPersonalDataView(of: record.complaint.id, by: user.id, purpose: purpose)
        }
        return shown
    }

    // MARK: - Attachments

    func uploadAttachment(_ input: Operations.UploadAttachment.Input) async throws -> Operations.UploadAttachment.Output
    {
        _ = try requireStaff()
        guard case .binary(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let bytes = try await Data(collecting: body, upTo: services.limits.upload)
        let reference = try await services.attachments.store(
            bytes, fileName: input.query.fileName, contentType: input.query.contentType)
        return .created(.init(body: .json(ComplaintPresentation.attachment(reference))))
    }

    func downloadAttachment(_ input: Operations.DownloadAttachment.Input) async throws
        -> Operations.DownloadAttachment.Output
    {
        _ = try requireStaff()
        guard let (_, bytes) = try await services.attachments.load(id: input.path.attachmentId) else {
            throw APIError.notFound(what: "attachment")
        }
        return .ok(.init(body: .binary(HTTPBody(bytes))))
    }

    /// Looks up uploaded attachments by id; unknown ids fail validation for `field`.
    func resolveAttachments(_ ids: [String], field: String) async throws -> [AttachmentReference] {
        var found: [AttachmentReference] = []
        var issues: [FieldIssue] = []
        for id in ids {
            if let reference = try await services.attachments.reference(id: id) {
                found.append(reference)
            } else {
                issues.append(
                    FieldIssue(
                        field: field, code: "unknown_attachment",
                        message: LocalizedText(zh: "附件 \(id) 不存在", en: "no attachment \(id)")))
            }
        }
        guard issues.isEmpty else { throw APIError.invalid(issues) }
        return found
    }
}
