import CloseloopCore
import CloseloopStore
import Foundation

extension ComplaintService {
    /// The writes that merge complaint `id` into the same customer's complaint `into` (并单, `Workflow.merge`): the
    /// duplicate's first, both to be stored in one transaction at the versions read, so neither is ever merged
    /// halfway. `expectedVersion` is the duplicate's; the surviving complaint is taken as it is now (a change to it
    /// before the transaction commits is a conflict, not an overwrite).
    func merge(
        _ id: ComplaintID, into: String, reason: String, expectedVersion: Int?, by actor: Actor
    ) async throws -> [ComplaintWrite] {
        let history = try await store.history(of: id)
        guard let duplicate = Complaint(id: id, history: history) else { throw StoreError.complaintNotFound }
        try Self.checkVersion(expectedVersion, of: duplicate, history: history, by: actor)
        let target = into.trimmingCharacters(in: .whitespaces)
        guard let survivorRecord = try await find(target) else {
            // Who may merge and when come first; then the number that matched nothing.
            try ActionPermission.authorize(.merge, by: actor, on: duplicate)
            guard ActionName.merge.isAvailable(in: duplicate.state) else {
                throw DomainError.wrongState(action: .merge, state: duplicate.state)
            }
            throw DomainError.validation([
                FieldIssue(
                    field: "into", code: "unknown_complaint",
                    message: LocalizedText(zh: "找不到投诉 \(target)", en: "no complaint \(target)"))
            ])
        }
        let survivorHistory = try await store.history(of: survivorRecord.complaint.id)
        guard let survivor = Complaint(id: survivorRecord.complaint.id, history: survivorHistory) else {
            throw StoreError.complaintNotFound
        }
        let settled = await settings.current()
        let now = time.instant()
        let (closing, taken) = try Workflow(policy: settled.policy).merge(
            duplicate, into: survivor, reason: reason, by: actor, at: now)
        let duplicateWrite = try await write(
            closing, to: duplicate, history: history, action: nil, settings: settled, by: actor, at: now)
        let survivorWrite = try await write(
            taken, to: survivor, history: survivorHistory, action: nil, settings: settled, by: actor, at: now)
        return [duplicateWrite, survivorWrite]
    }
}
