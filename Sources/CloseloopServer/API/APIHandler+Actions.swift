import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// One endpoint per action of the loop; each carries the version the caller read.
extension APIHandler {
    func checkCompleteness(_ input: Operations.CheckCompleteness.Input) async throws
        -> Operations.CheckCompleteness.Output
    {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .checkCompleteness(complete: body.complete, missing: body.missing ?? [], note: body.note ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func provideInformation(_ input: Operations.ProvideInformation.Input) async throws
        -> Operations.ProvideInformation.Output
    {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .provideInformation(
                note: body.note ?? "",
                attachments: try await resolveAttachments(body.attachmentIds ?? [], field: "attachmentIds"))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func decideValidity(_ input: Operations.DecideValidity.Input) async throws -> Operations.DecideValidity.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .decideValidity(valid: body.valid, reason: body.reason ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func answerRequest(_ input: Operations.AnswerRequest.Input) async throws -> Operations.AnswerRequest.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .answerRequest(answer: body.answer)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func assign(_ input: Operations.Assign.Input) async throws -> Operations.Assign.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .assign(
                ComplaintAction.Assignment(
                    category: body.category, subcategory: body.subcategory,
                    kind: body.kind.flatMap { ComplaintKind(rawValue: $0.rawValue) },
                    priority: Priority(rawValue: body.priority.rawValue)!,
                    severity: Severity(rawValue: body.severity.rawValue)!, department: DepartmentID(body.department),
                    owner: UserID(body.owner), handler: body.handler.map { UserID($0) }, handlerDue: body.handlerDue))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func reassign(_ input: Operations.Reassign.Input) async throws -> Operations.Reassign.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .reassign(
                department: body.department.map { DepartmentID($0) }, owner: body.owner.map { UserID($0) },
                handler: body.handler.map { UserID($0) }, reason: body.reason)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func reclassify(_ input: Operations.Reclassify.Input) async throws -> Operations.Reclassify.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .reclassify(
                category: body.category, subcategory: body.subcategory,
                priority: body.priority.flatMap { Priority(rawValue: $0.rawValue) },
                severity: body.severity.flatMap { Severity(rawValue: $0.rawValue) }, reason: body.reason)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func recordContact(_ input: Operations.RecordContact.Input) async throws -> Operations.RecordContact.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .recordContact(outcome: ContactOutcome(rawValue: body.outcome.rawValue)!, note: body.note ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func submitAnalysis(_ input: Operations.SubmitAnalysis.Input) async throws -> Operations.SubmitAnalysis.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .submitAnalysis(
                .init(
                    problemType: body.problemType, rootCause: RootCause(rawValue: body.rootCause.rawValue)!,
                    technical: body.technical ?? false, findings: body.findings,
                    suggestedSolution: body.suggestedSolution ?? ""))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func proposeSolution(_ input: Operations.ProposeSolution.Input) async throws -> Operations.ProposeSolution.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .proposeSolution(
                types: body.types.map { SolutionType(rawValue: $0.rawValue)! }, description: body.description,
                compensation: try body.compensation.map(money))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func decideApproval(_ input: Operations.DecideApproval.Input) async throws -> Operations.DecideApproval.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .decideApproval(approved: body.approved, comment: body.comment ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func respondToProposal(_ input: Operations.RespondToProposal.Input) async throws
        -> Operations.RespondToProposal.Output
    {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .respondToProposal(accepted: body.accepted, comment: body.comment ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func recordProgress(_ input: Operations.RecordProgress.Input) async throws -> Operations.RecordProgress.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .recordProgress(
                note: body.note ?? "", workFinished: body.workFinished ?? false,
                evidence: try await resolveAttachments(body.evidenceIds ?? [], field: "evidenceIds"))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func returnResult(_ input: Operations.ReturnResult.Input) async throws -> Operations.ReturnResult.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .returnResult(
                summary: body.summary,
                attachments: try await resolveAttachments(body.attachmentIds ?? [], field: "attachmentIds"))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func verify(_ input: Operations.Verify.Input) async throws -> Operations.Verify.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .verify(solved: body.solved, satisfied: body.satisfied, score: body.score, note: body.note ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func recordReturnVisit(_ input: Operations.RecordReturnVisit.Input) async throws
        -> Operations.RecordReturnVisit.Output
    {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .recordReturnVisit(notes: body.notes)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func close(_ input: Operations.Close.Input) async throws -> Operations.Close.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .close(note: body.note ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func reopen(_ input: Operations.Reopen.Input) async throws -> Operations.Reopen.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .reopen(reason: body.reason)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func requestDelay(_ input: Operations.RequestDelay.Input) async throws -> Operations.RequestDelay.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .requestDelay(reason: body.reason, until: body.until)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func decideDelay(_ input: Operations.DecideDelay.Input) async throws -> Operations.DecideDelay.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .decideDelay(approved: body.approved, comment: body.comment ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func addNote(_ input: Operations.AddNote.Input) async throws -> Operations.AddNote.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .addNote(text: body.text, isInternal: body._internal ?? true)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func linkIncident(_ input: Operations.LinkIncident.Input) async throws -> Operations.LinkIncident.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .linkIncident(incident: body.incident)
        }
        return .ok(.init(body: .json(complaint)))
    }

    func confirmMention(_ input: Operations.ConfirmMention.Input) async throws -> Operations.ConfirmMention.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .confirmMention(user: UserID(body.user), concerned: body.concerned, note: body.note ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    func writeCase(_ input: Operations.WriteCase.Input) async throws -> Operations.WriteCase.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .writeCase(
                .init(
                    cause: body.cause, handling: body.handling, lesson: body.lesson, prevention: body.prevention ?? "",
                    title: body.title, tags: body.tags ?? []))
        }
        return .ok(.init(body: .json(complaint)))
    }

    func archive(_ input: Operations.Archive.Input) async throws -> Operations.Archive.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let complaint = try await act(on: input.path.id, version: body.version) {
            .archive(note: body.note ?? "")
        }
        return .ok(.init(body: .json(complaint)))
    }

    /// Runs one action for the signed-in staff member and presents the result to them.
    private func act(
        on idOrNumber: String, version: Int, _ action: () async throws -> ComplaintAction
    ) async throws -> Components.Schemas.Complaint {
        let user = try requireStaff()
        let target = try await record(idOrNumber)
        let record = try await complaints.perform(
            try await action(), on: target.complaint.id, expectedVersion: version, by: .staff(user.staffMember))
        return try await revealed(record, to: user, purpose: "action")
    }

    func money(_ text: String) throws -> Money {
        guard let amount = Money(decimal: text) else {
            throw APIError.invalid([
                FieldIssue(
                    field: "compensation", code: "invalid",
                    message: LocalizedText(zh: "金额格式不正确", en: "must be an amount such as 1200.50"))
            ])
        }
        return amount
    }
}
