import Foundation

extension Incident {
    /// What a person says about an incident when opening or editing it.
    public struct Details: Hashable, Sendable {
        public var title: String
        public var cause: String
        public var category: String?
        public var subcategory: String?
        public var severity: Severity
        public var department: DepartmentID?
        public var owner: UserID?
        public var handler: UserID?

        public init(
            title: String, cause: String, category: String? = nil, subcategory: String? = nil,
            severity: Severity = .major, department: DepartmentID? = nil, owner: UserID? = nil,
            handler: UserID? = nil
        ) {
            self.title = title
            self.cause = cause
            self.category = category
            self.subcategory = subcategory
            self.severity = severity
            self.department = department
            self.owner = owner
            self.handler = handler
        }

        public func problems() -> [FieldIssue] {
            var issues = FieldChecks()
            issues.require(title, "title")
            issues.line(title, "title")
            issues.long(cause, "cause")
            issues.short(category, "category")
            issues.short(subcategory, "subcategory")
            if subcategory != nil && category == nil { issues.require("", "category") }
            if severity < Incident.leastSeverity {
                issues.add("severity", zh: "群诉事件至少为重大投诉", en: "must be at least major for an incident")
            }
            return issues.issues
        }
    }

    public var details: Details {
        Details(
            title: title, cause: cause, category: category, subcategory: subcategory, severity: severity,
            department: department, owner: owner, handler: handler)
    }

    /// The incident with `details` in place, trimmed; the caller checked `details.problems()`.
    public func with(_ details: Details) -> Incident {
        var next = self
        next.title = details.title.trimmingCharacters(in: .whitespacesAndNewlines)
        next.cause = details.cause.trimmingCharacters(in: .whitespacesAndNewlines)
        next.category = details.category?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        next.subcategory = details.subcategory?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        next.severity = details.severity
        next.department = details.department
        next.owner = details.owner
        next.handler = details.handler
        return next
    }

    /// Why `analysis` and `solution` cannot be the incident's one answer: the loop's own rules for an analysis and a
    /// proposal, so what passes here passes on each complaint.
    public static func handlingProblems(analysis: EventChange.AnalysisSubmitted, solution: Solution) -> [FieldIssue] {
        analysis.problems()
            + Workflow.proposalProblems(
                types: solution.types, description: solution.message, compensation: solution.compensation
            ).map { issue in
                // The form names the per-customer text "message", not "description".
                var renamed = issue
                if renamed.field == "description" { renamed.field = "message" }
                return renamed
            }
    }

    /// Why `result` cannot be told to every customer.
    public static func resultProblems(_ result: String) -> [FieldIssue] {
        var issues = FieldChecks()
        issues.require(result, "result")
        issues.long(result, "result")
        return issues.issues
    }

    /// Why the incident cannot be closed now.
    public func closingProblems(note: String) -> [FieldIssue] {
        var issues = FieldChecks()
        if !isOpen { issues.add("state", zh: "事件已关闭", en: "is already closed") }
        issues.comment(note, "note")
        return issues.issues
    }
}
