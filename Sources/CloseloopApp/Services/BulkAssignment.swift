import CloseloopCore
import CloseloopStore
import Foundation

/// Assigning or reassigning the complaints ticked in a queue at once (批量分派/改派): each goes through its own loop
/// (`ComplaintService.attempt`), so each keeps its history, clocks and recusals, and the page says complaint by
/// complaint what was done and why not.
public struct BulkAssignment: Sendable {
    let complaints: ComplaintService
    let store: SQLStore

    /// Where the complaints go. `category` classifies those not yet classified; `reason` is required to reassign.
    public struct Target: Sendable {
        public var department: DepartmentID
        public var owner: UserID
        public var handler: UserID?
        public var category: String?
        public var reason: String

        public init(department: DepartmentID, owner: UserID, handler: UserID?, category: String?, reason: String) {
            self.department = department
            self.owner = owner
            self.handler = handler
            self.category = category
            self.reason = reason
        }
    }

    /// At most this many complaints per bulk step: a queue page's worth, and a transaction each.
    public static let limit = 100

    /// Whether `user` may assign at all: only the supervisor assigns (SPEC §1); each complaint still checks its own.
    public static func mayAssign(_ user: UserAccount) -> Bool { user.staffMember.holds(.supervisor) }

    /// What sending one complaint to the target takes.
    public enum Step: Sendable {
        case take(ComplaintAction)
        /// A validated complaint nobody classified, and no category given.
        case needsCategory
        /// Neither assigning nor reassigning applies in its state.
        case notApplicable
    }

    /// The action that sends `complaint` to `target`: the first assignment of a validated complaint, a
    /// reassignment later.
    public static func step(for complaint: Complaint, to target: Target) -> Step {
        if ActionName.assign.isAvailable(in: complaint.state) {
            guard let category = complaint.category ?? target.category.flatMap({ $0.isEmpty ? nil : $0 }) else {
                return .needsCategory
            }
            return .take(
                .assign(
                    ComplaintAction.Assignment(
                        category: category, subcategory: complaint.category == nil ? nil : complaint.subcategory,
                        priority: complaint.priority, severity: complaint.severity, department: target.department,
                        owner: target.owner, handler: target.handler)))
        }
        if ActionName.reassign.isAvailable(in: complaint.state) {
            return .take(
                .reassign(
                    department: target.department, owner: target.owner, handler: target.handler,
                    reason: target.reason))
        }
        return .notApplicable
    }

    public func apply(_ target: Target, to numbers: [String], by user: UserAccount) async throws -> [ActionOutcome] {
        guard Self.mayAssign(user) else { throw AccessDenied(roles: [.supervisor]) }
        var seen = Set<String>()
        let unique = numbers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { throw DomainError.validation([.required("complaint")]) }
        guard unique.count <= Self.limit else {
            throw DomainError.validation([
                .invalid(
                    "complaint", zh: "一次最多 \(Self.limit) 件", en: "at most \(Self.limit) complaints at once")
            ])
        }
        let issues = try await complaints.referenceIssues(
            department: ("department", target.department),
            people: [("owner", target.owner), ("handler", target.handler)])
        guard issues.isEmpty else { throw DomainError.validation(issues) }

        var outcomes: [ActionOutcome] = []
        for number in unique {
            guard let record = try await store.record(number: number) else {
                outcomes.append(
                    ActionOutcome(
                        number: number, done: [], state: .received,
                        problem: LocalizedText(zh: "找不到投诉", en: "no such complaint")))
                continue
            }
            let complaint = record.complaint
            switch Self.step(for: complaint, to: target) {
            case .take(let action):
                outcomes.append(try await complaints.attempt([action], on: record, by: user))
            case .needsCategory:
                outcomes.append(
                    ActionOutcome(
                        number: number, done: [], state: complaint.state,
                        problem: LocalizedText(zh: "尚未分类，请选择投诉分类", en: "not classified yet: choose a category")))
            case .notApplicable:
                outcomes.append(
                    ActionOutcome(
                        number: number, done: [], state: complaint.state,
                        problem: LocalizedText(zh: "当前状态不能分派", en: "cannot be assigned in its present state")))
            }
        }
        return outcomes
    }
}
