import Foundation

extension Workflow {
    /// SPEC §2's merge (并单): `duplicate`, the same customer's complaint about the same issue, is closed as merged
    /// into `survivor`, which takes its attachments and, being complained about again, becomes at least major. The
    /// duplicate counts once, as a repeat. Returns each complaint's events; the caller writes both or neither.
    public func merge(
        _ duplicate: Complaint, into survivor: Complaint, reason: String, by actor: Actor, at now: Date
    ) throws(DomainError) -> (duplicate: [ComplaintEvent], survivor: [ComplaintEvent]) {
        let closing = try apply(.merge(into: survivor.number, reason: reason), to: duplicate, by: actor, at: now)
        // Whoever may not touch the surviving complaint (recused from it) may not add to it either.
        try ActionPermission.authorize(.merge, by: actor, on: survivor)
        var issues = FieldChecks()
        if survivor.id == duplicate.id {
            issues.add("into", zh: "不能并入自身", en: "cannot be the complaint itself")
        } else if survivor.mergedInto != nil || !survivor.state.isOpen {
            issues.add("into", zh: "只能并入处理中的投诉", en: "must be a complaint still open")
        } else if !RepeatRule.sameCustomer(survivor.intake.customer, duplicate.intake.customer) {
            issues.add("into", zh: "只能并入同一客户的投诉", en: "must be the same customer's complaint")
        }
        try issues.throwIfAny()
        let taken = ComplaintEvent(
            sequence: survivor.version + 1, at: now, actor: actor.reference,
            change: .duplicateMerged(.init(number: duplicate.number, attachments: duplicate.intake.attachments)))
        return (closing, [taken])
    }
}
