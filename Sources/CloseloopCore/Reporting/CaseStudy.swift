import Foundation

/// A write-up of a closed complaint for the case library (案例库, SPEC §8): what caused it, how it was handled, the
/// lesson and the prevention, reviewed and published by quality for every department to read. One per complaint.
public struct CaseStudy: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Written, waiting for quality's review; only reviewers and its author read it.
        case draft
        /// Published: every staff member reads it.
        case published
        /// Taken back out of the library by quality.
        case withdrawn
    }

    public var complaintID: ComplaintID
    public var number: String
    public var title: String
    public var category: String?
    public var product: String?
    public var tags: [String]
    public var cause: String
    public var handling: String
    public var lesson: String
    public var prevention: String
    public var status: Status
    public var writtenBy: UserID
    public var writtenAt: Date
    public var updatedAt: Date
    public var publishedBy: UserID?
    public var publishedAt: Date?

    public init(
        complaintID: ComplaintID, number: String, title: String, category: String?, product: String?, tags: [String],
        cause: String, handling: String, lesson: String, prevention: String, status: Status, writtenBy: UserID,
        writtenAt: Date, updatedAt: Date, publishedBy: UserID? = nil, publishedAt: Date? = nil
    ) {
        self.complaintID = complaintID
        self.number = number
        self.title = title
        self.category = category
        self.product = product
        self.tags = tags
        self.cause = cause
        self.handling = handling
        self.lesson = lesson
        self.prevention = prevention
        self.status = status
        self.writtenBy = writtenBy
        self.writtenAt = writtenAt
        self.updatedAt = updatedAt
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }

    /// The most tags a case carries, and the longest.
    public static let maxTags = 10
    public static let maxTagLength = 20

    /// What a reviewer may change in a draft: the title, the tags and the four parts of the write-up.
    public struct Draft: Hashable, Sendable {
        public var title: String
        public var tags: [String]
        public var writeUp: EventChange.CaseWritten

        public init(title: String, tags: [String], writeUp: EventChange.CaseWritten) {
            self.title = title
            self.tags = tags
            self.writeUp = writeUp
        }

        /// Every problem at once: the title (unless `titleRequired` is false) and the write-up's parts required and
        /// within their limits, at most `maxTags` tags of at most `maxTagLength` characters.
        public func problems(titleRequired: Bool = true) -> [FieldIssue] {
            var issues: [FieldIssue] = []
            func text(_ value: String, _ field: String, max: Int, shape: TextRules.Shape, required: Bool) {
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty {
                    if required { issues.append(.required(field)) }
                } else if let issue = TextRules.issue(trimmed, field: field, max: max, shape: shape) {
                    issues.append(issue)
                }
            }
            text(title, "title", max: TextRules.line, shape: .singleLine, required: titleRequired)
            text(writeUp.cause, "cause", max: TextRules.long, shape: .multiLine, required: true)
            text(writeUp.handling, "handling", max: TextRules.long, shape: .multiLine, required: true)
            text(writeUp.lesson, "lesson", max: TextRules.long, shape: .multiLine, required: true)
            text(writeUp.prevention, "prevention", max: TextRules.long, shape: .multiLine, required: false)
            if tags.count > CaseStudy.maxTags {
                issues.append(
                    .invalid("tags", zh: "最多 \(CaseStudy.maxTags) 个标签", en: "at most \(CaseStudy.maxTags) tags"))
            }
            for (index, tag) in tags.enumerated() {
                text(tag, "tags[\(index)]", max: CaseStudy.maxTagLength, shape: .singleLine, required: false)
            }
            return issues
        }
    }

    /// The tags as typed: split on commas (Chinese or Latin) and spaces, trimmed, each once, in order.
    public static func tags(from text: String) -> [String] {
        var seen: [String] = []
        for tag in text.split(whereSeparator: { ",，、;；".contains($0) || $0.isWhitespace }) {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && !seen.contains(trimmed) { seen.append(trimmed) }
        }
        return seen
    }

    /// `text` with the customer's personal data taken out before a case is read across departments: their name,
    /// phone numbers and email addresses (anyone's), replaced by placeholders.
    public static func redacted(_ text: String, customer: CustomerDetails) -> String {
        var result = text
        let name = customer.name.trimmingCharacters(in: .whitespaces)
        if name.count >= 2 { result = result.replacingOccurrences(of: name, with: "〔客户〕") }
        if let phone = customer.phone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            result = result.replacingOccurrences(of: phone, with: "〔电话〕")
        }
        result = result.replacingOccurrences(
            of: #"(?<![0-9])(\+?86[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])"#, with: "〔电话〕",
            options: .regularExpression)
        result = result.replacingOccurrences(
            of: #"(?<![0-9])0[0-9]{2,3}[- ]?[0-9]{7,8}(?![0-9])"#, with: "〔电话〕", options: .regularExpression)
        result = result.replacingOccurrences(
            of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, with: "〔邮箱〕", options: .regularExpression)
        return result
    }
}
