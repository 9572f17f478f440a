import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird

/// One step from a complaint page's similar complaints: merge the same customer's duplicate into this complaint, or
/// put a similar one into an open incident. Both are ordinary actions of the loop on the other complaint, taken at
/// the version it has now (the person just saw it listed), with its own rights and recusals.
extension ComplaintPages {
    func registerSimilarActions(on web: RouterGroup<AppRequestContext>) {
        web.post("/complaints/:number/similar/merge") { request, context in
            try await actOnSimilar(request, number: context.parameters.get("number") ?? "") { form, number in
                .merge(into: number, reason: form["reason"])
            }
        }
        web.post("/complaints/:number/similar/link") { request, context in
            try await actOnSimilar(request, number: context.parameters.get("number") ?? "") { form, _ in
                .linkIncident(incident: form["incident"])
            }
        }
    }

    private func actOnSimilar(
        _ request: Request, number: String, _ action: (WebForm, String) -> ComplaintAction
    ) async throws -> Response {
        let user = try app.state.requireStaff()
        let form = try await app.form(request)
        guard try await app.services.complaints.record(number: number) != nil,
            let other = try await app.services.complaints.record(number: form["other"])
        else { throw WebError.notFound }
        let step = action(form, number)
        do {
            _ = try await app.services.complaints.perform(
                step, on: other.complaint.id, expectedVersion: other.complaint.version, by: .staff(user.staffMember))
            return WebRenderer.redirect(to: "/complaints/\(number)?done=\(step.name.rawValue)#similar")
        } catch let error as DomainError {
            var message = error.message(in: app.state.language)
            if case .validation(let issues) = error {
                message = issues.map { $0.message.text(in: app.state.language) }.joined(
                    separator: app.state.language.clauseSeparator)
            }
            return try await show(
                number: number, problem: app.state.language.labelled(other.complaint.number, message),
                status: error.httpStatus)
        } catch StoreError.versionConflict {
            return try await show(number: number, problem: app.t("error_conflict_message"), status: .conflict)
        }
    }
}
