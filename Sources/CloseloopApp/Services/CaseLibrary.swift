import CloseloopCore
import CloseloopStore
import Foundation

/// The case library (案例库, SPEC §8): a closed complaint's write-up becomes a draft with its history event
/// (`ComplaintService.perform(.writeCase)`); its author or quality edits the draft; quality publishes it, with the
/// customer's personal data taken out, for every staff member to read, and may withdraw it again.
public struct CaseLibrary: Sendable {
    let store: SQLStore
    let time: any TimeSource
    let audit: AuditLog

    /// Roles that review, publish and withdraw cases, and read drafts.
    public static let reviewers: Set<Role> = [.quality]

    /// The draft a write-up of `complaint` opens.
    static func draft(of complaint: Complaint, _ writeUp: EventChange.CaseWritten, by author: UserID, at now: Date)
        -> CaseStudy
    {
        let title = writeUp.title?.trimmingCharacters(in: .whitespacesAndNewlines)
        return CaseStudy(
            complaintID: complaint.id, number: complaint.number,
            title: title.flatMap { $0.isEmpty ? nil : $0 } ?? complaint.intake.subject, category: complaint.category,
            product: complaint.intake.product, tags: writeUp.tags, cause: writeUp.cause, handling: writeUp.handling,
            lesson: writeUp.lesson, prevention: writeUp.prevention, status: .draft, writtenBy: author, writtenAt: now,
            updatedAt: now)
    }

    /// Whether `user` reads `study`: everyone reads published cases; drafts and withdrawn ones only their author and
    /// the reviewers.
    public static func mayRead(_ study: CaseStudy, _ user: UserAccount) -> Bool {
        study.status == .published || study.writtenBy == user.id || isReviewer(user)
    }

    public static func isReviewer(_ user: UserAccount) -> Bool {
        user.grants.contains { reviewers.contains($0.role) }
    }

    /// A case by its complaint's number or id, for someone who may read it.
    public func find(_ number: String, by user: UserAccount) async throws -> CaseStudy? {
        guard let study = try await store.caseStudy(number), Self.mayRead(study, user) else { return nil }
        return study
    }

    /// The cases `user` may list: published ones for everyone; reviewers may ask for drafts and withdrawn ones too.
    public func list(_ query: CaseQuery, by user: UserAccount) async throws -> (cases: [CaseStudy], more: Bool) {
        var query = query
        if !Self.isReviewer(user) { query.statuses = [.published] }
        return try await store.caseStudies(query)
    }

    public func facets() async throws -> (categories: [String], products: [String]) { try await store.caseFacets() }

    /// Edits a draft (its author or a reviewer); every field checked at once.
    public func edit(_ number: String, _ draft: CaseStudy.Draft, by user: UserAccount) async throws -> CaseStudy {
        guard var study = try await store.caseStudy(number), Self.mayRead(study, user) else {
            throw StoreError.complaintNotFound
        }
        guard study.status == .draft, study.writtenBy == user.id || Self.isReviewer(user) else {
            throw AccessDenied(roles: Self.reviewers)
        }
        let issues = draft.problems()
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        study.title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        study.tags = draft.tags
        study.cause = draft.writeUp.cause
        study.handling = draft.writeUp.handling
        study.lesson = draft.writeUp.lesson
        study.prevention = draft.writeUp.prevention
        study.updatedAt = time.instant()
        try await store.save(study)
        try await audit.record("case.edit", subject: study.number, detail: study.title, by: .staff(user))
        return study
    }

    /// Publishes a draft (reviewers), taking the customer's name, phones and email addresses out of every part.
    public func publish(_ number: String, by user: UserAccount) async throws -> CaseStudy {
        guard Self.isReviewer(user) else { throw AccessDenied(roles: Self.reviewers) }
        guard var study = try await store.caseStudy(number),
            let complaint = try await store.record(id: study.complaintID)?.complaint
        else { throw StoreError.complaintNotFound }
        let customer = complaint.intake.customer
        func clean(_ text: String) -> String { CaseStudy.redacted(text, customer: customer) }
        study.title = clean(study.title)
        study.cause = clean(study.cause)
        study.handling = clean(study.handling)
        study.lesson = clean(study.lesson)
        study.prevention = clean(study.prevention)
        study.status = .published
        study.publishedBy = user.id
        study.publishedAt = time.instant()
        study.updatedAt = study.publishedAt ?? study.updatedAt
        try await store.save(study)
        try await audit.record("case.publish", subject: study.number, detail: study.title, by: .staff(user))
        return study
    }

    /// Takes a published case out of the library (reviewers); it goes back to a draft that can be edited again.
    public func withdraw(_ number: String, by user: UserAccount) async throws -> CaseStudy {
        guard Self.isReviewer(user) else { throw AccessDenied(roles: Self.reviewers) }
        guard var study = try await store.caseStudy(number) else { throw StoreError.complaintNotFound }
        study.status = .draft
        study.publishedBy = nil
        study.publishedAt = nil
        study.updatedAt = time.instant()
        try await store.save(study)
        try await audit.record("case.withdraw", subject: study.number, detail: study.title, by: .staff(user))
        return study
    }
}
