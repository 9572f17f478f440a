import CloseloopCore
import CloseloopStore
import Foundation

/// Quality's spot checks (质检/抽检): a random sample of each department's complaints closed in a period, each scored
/// against the checklist in settings; the scores feed the league tables.
public struct QualityChecks: Sendable {
    let store: SQLStore
    let settings: LoopSettings
    let time: any TimeSource
    let audit: AuditLog

    /// Who draws and scores.
    public static let checkers: Set<Role> = [.quality]

    public static func mayCheck(_ user: UserAccount) -> Bool { user.grants.contains { checkers.contains($0.role) } }

    /// Draws up to the checklist's sample size of `department`'s complaints closed in `period` that were not drawn
    /// before, at random; returns what was drawn (none when the pool is empty or the sample is already full).
    @discardableResult
    public func draw(_ period: ReportPeriod, department: DepartmentID, by user: UserAccount) async throws -> [SpotCheck]
    {
        guard Self.mayCheck(user) else { throw AccessDenied(roles: Self.checkers) }
        let checklist = await settings.qualityChecklist()
        let calendar = await settings.current().calendar
        let already = try await store.spotChecks(period: period.code, department: department).count
        let wanted = max(checklist.sampleSize - already, 0)
        guard wanted > 0 else { return [] }
        let pool = try await store.spotCheckPool(
            from: calendar.startOfDay(period.start), to: calendar.startOfDay(period.end), department: department)
        let now = time.instant()
        let drawn = pool.shuffled().prefix(wanted).map { record in
            SpotCheck(
                complaintID: record.complaint.id, number: record.complaint.number,
                department: record.complaint.department, owner: record.complaint.owner, period: period.code,
                drawnAt: now, drawnBy: user.id)
        }
        for check in drawn { try await store.save(check) }
        try await audit.record(
            "quality.draw", subject: "\(period.code) \(department.rawValue)",
            detail: drawn.map(\.number).joined(separator: ", "), by: .staff(user))
        return drawn
    }

    /// The checks drawn for `period`, by department when given (quality only).
    public func checks(_ period: ReportPeriod, department: DepartmentID?, by user: UserAccount) async throws
        -> [SpotCheck]
    {
        guard Self.mayCheck(user) else { throw AccessDenied(roles: Self.checkers) }
        return try await store.spotChecks(period: period.code, department: department)
    }

    public func check(_ number: String, by user: UserAccount) async throws -> SpotCheck? {
        guard Self.mayCheck(user) else { throw AccessDenied(roles: Self.checkers) }
        return try await store.spotCheck(number: number)
    }

    /// Scores a drawn check: every checklist item 0–100 and an optional note (at most 5,000 characters).
    @discardableResult
    public func score(_ number: String, scores: [String: Int], note: String, by user: UserAccount) async throws
        -> SpotCheck
    {
        guard Self.mayCheck(user) else { throw AccessDenied(roles: Self.checkers) }
        guard var check = try await store.spotCheck(number: number) else { throw StoreError.complaintNotFound }
        let checklist = await settings.qualityChecklist()
        var issues: [FieldIssue] = []
        var total: Int?
        do { total = try checklist.total(of: scores) } catch {
            if case .validation(let found) = error { issues = found }
        }
        if let issue = TextRules.issue(note, field: "note", max: TextRules.comment, shape: .multiLine) {
            issues.append(issue)
        }
        guard issues.isEmpty, let total else { throw DomainError.validation(issues) }
        check.scores = scores
        check.total = total
        check.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        check.checkedBy = user.id
        check.checkedAt = time.instant()
        try await store.save(check)
        try await audit.record("quality.score", subject: number, detail: "\(total)", by: .staff(user))
        return check
    }
}
