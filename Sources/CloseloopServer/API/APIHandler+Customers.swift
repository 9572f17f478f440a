import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// The customer's side of the API: no login, the complaint number and the phone it was filed with.
extension APIHandler {
    func trackComplaint(_ input: Operations.TrackComplaint.Input) async throws -> Operations.TrackComplaint.Output {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let record = try await customersComplaint(number: body.number, phone: body.phone)
        return .ok(.init(body: .json(try await tracked(record))))
    }

    func respondAsCustomer(_ input: Operations.RespondAsCustomer.Input) async throws
        -> Operations.RespondAsCustomer.Output
    {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let record = try await customersComplaint(number: body.number, phone: body.phone)
        let updated = try await complaints.perform(
            .respondToProposal(accepted: body.accepted, comment: body.comment ?? ""), on: record.complaint.id,
            expectedVersion: nil, by: .customer)
        return .ok(.init(body: .json(try await tracked(updated))))
    }

    func confirmAsCustomer(_ input: Operations.ConfirmAsCustomer.Input) async throws
        -> Operations.ConfirmAsCustomer.Output
    {
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let record = try await customersComplaint(number: body.number, phone: body.phone)
        let updated = try await complaints.perform(
            .verify(solved: body.solved, satisfied: body.satisfied, score: body.score, note: body.comment ?? ""),
            on: record.complaint.id, expectedVersion: nil, by: .customer)
        return .ok(.init(body: .json(try await tracked(updated))))
    }

    /// The complaint with this number filed with this phone; one answer (404) for a wrong number or a wrong
    /// phone, so the endpoint cannot be used to learn which numbers exist.
    private func customersComplaint(number: String, phone: String) async throws -> ComplaintRecord {
        do {
            return try await services.tracking.complaint(number: number, phone: phone)
        } catch TrackingRefusal.rateLimited {
            throw APIError.rateLimited
        } catch TrackingRefusal.notFound {
            throw APIError.notFound(what: "complaint")
        }
    }

    private func tracked(_ record: ComplaintRecord) async throws -> Components.Schemas.TrackedComplaint {
        let language = RequestLanguage.current
        let complaint = record.complaint
        let history = try await services.complaints.history(of: complaint.id)
        let waiting = complaint.state == .proposed
        return .init(
            number: complaint.number, state: .init(rawValue: CustomerTimeline.visibleState(complaint.state).rawValue)!,
            stateText: CustomerTimeline.stateText(complaint.state, in: language), receivedAt: complaint.receivedAt,
            subject: complaint.intake.subject,
            steps: CustomerTimeline.steps(of: history, in: language).map { .init(at: $0.at, text: $0.text) },
            proposal: waiting ? complaint.proposal?.description : nil,
            compensation: waiting ? complaint.proposal?.compensation?.description : nil,
            canRespondToProposal: waiting, canConfirmResult: complaint.state == .verifying,
            satisfaction: complaint.customerRating)
    }
}

/// The language of the current request (from Accept-Language), for texts built inside the API handlers.
enum RequestLanguage {
    @TaskLocal static var current: Language = .zhHans
}
