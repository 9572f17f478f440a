import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import OpenAPIRuntime

/// Implements the generated `APIProtocol`: decodes typed input into domain calls and domain results into the
/// document's schemas. Errors are thrown and turned into problem documents by `ProblemMiddleware`.
struct APIHandler: APIProtocol {
    let services: AppServices

    var complaints: ComplaintService { services.complaints }

    /// The presentation for the signed-in staff member.
    func presentation(for user: UserAccount) async -> ComplaintPresentation {
        ComplaintPresentation(viewer: user.staffMember, workflow: await complaints.workflow(), now: services.time.now())
    }

    /// A complaint by id or number, or a 404.
    func record(_ idOrNumber: String) async throws -> ComplaintRecord {
        guard let record = try await complaints.find(idOrNumber) else { throw StoreError.complaintNotFound }
        return record
    }

    /// Any staff member with at least one role may read complaints; recusal narrows what they see.
    func requireStaff() throws -> UserAccount {
        let user = try Identity.requireUser()
        guard !user.grants.isEmpty else { throw APIError.forbidden }
        return user
    }

    // MARK: - Meta

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        let dialect = try await services.health()
        return .ok(.init(body: .json(.init(status: .ok, database: .init(rawValue: dialect.rawValue)!))))
    }

    func listDepartments(_ input: Operations.ListDepartments.Input) async throws -> Operations.ListDepartments.Output {
        _ = try requireStaff()
        let departments = try await services.staff.departments()
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: departments.map { .init(id: $0.id.rawValue, nameZh: $0.name.zhHans, nameEn: $0.name.en) }
                    )
                )))
    }
}
