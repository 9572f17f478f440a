import Foundation

/// Who complained and how to reach them.
public struct CustomerDetails: Hashable, Codable, Sendable {
    public var name: String
    public var phone: String?
    public var email: String?
    public var customerID: String?

    public init(name: String, phone: String? = nil, email: String? = nil, customerID: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.customerID = customerID
    }
}

/// A file the customer or staff attached, stored content-addressed outside the history.
public struct AttachmentReference: Hashable, Codable, Sendable {
    public var id: String
    public var fileName: String
    public var contentType: String
    public var size: Int
    public var sha256: String

    public init(id: String, fileName: String, contentType: String, size: Int, sha256: String) {
        self.id = id
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }
}

/// Everything recorded when a complaint is received (SPEC §2).
public struct Intake: Hashable, Codable, Sendable {
    public var channel: Channel
    public var kind: ComplaintKind
    public var customer: CustomerDetails
    /// Order, contract, vehicle or unit reference.
    public var reference: String?
    public var product: String?
    public var subject: String
    public var description: String
    /// A voice-to-text transcript of a phone call, when there is one.
    public var transcript: String?
    /// The recording of the call, kept beside the transcript; an audio file.
    public var recording: AttachmentReference?
    /// The employee complained about, chosen from the directory by id; that employee is recused.
    public var complainedAboutUser: UserID?
    /// The customer's own words about the person ("the installer who came on Tuesday, surname Wang"), kept as they
    /// said them beside the directory choice.
    public var complainedAboutText: String?
    public var complainedAboutDepartment: DepartmentID?
    public var remedies: [Remedy]
    /// The intake agent's first judgement; the supervisor reviews both at classification.
    public var priority: Priority
    public var severity: Severity
    public var attachments: [AttachmentReference]
    /// Where the channel it came by routes it (a webhook source's default department and category), or the category
    /// the agent or client system chose at intake (a category or subcategory code of the taxonomy): the supervisor's
    /// classification starts from these, and decides.
    public var defaultDepartment: DepartmentID?
    public var defaultCategory: String?
    /// The webhook source or WeChat official account it came through, as `webhook:<name>` or `wechat:<name>`: the
    /// customer's messages go back the same way (a WeChat follower is reached through the account they wrote to).
    public var source: String?

    public init(
        channel: Channel, kind: ComplaintKind = .complaint, customer: CustomerDetails, reference: String? = nil,
        product: String? = nil, subject: String, description: String, transcript: String? = nil,
        complainedAboutUser: UserID? = nil, complainedAboutText: String? = nil,
        complainedAboutDepartment: DepartmentID? = nil, remedies: [Remedy] = [],
        priority: Priority = .p2, severity: Severity = .dissatisfied, attachments: [AttachmentReference] = [],
        recording: AttachmentReference? = nil
    ) {
        self.channel = channel
        self.kind = kind
        self.customer = customer
        self.reference = reference
        self.product = product
        self.subject = subject
        self.description = description
        self.transcript = transcript
        self.complainedAboutUser = complainedAboutUser
        self.complainedAboutText = complainedAboutText
        self.complainedAboutDepartment = complainedAboutDepartment
        self.remedies = remedies
        self.priority = priority
        self.severity = severity
        self.attachments = attachments
        self.recording = recording
    }
}

extension Intake {
    /// Limits on free text, generous for real letters but bounded so one submission cannot swamp the store.
    public enum Limits {
        public static let name = TextRules.short
        public static let subject = TextRules.line
        public static let description = TextRules.long
        public static let transcript = TextRules.transcript
        public static let reference = TextRules.short
        public static let product = TextRules.line
    }

    /// Every problem with this intake at once; empty when it can be saved.
    public func problems() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func text(
            _ value: String?, _ field: String, max: Int, shape: TextRules.Shape = .singleLine, required: Bool = false
        ) {
            let trimmed = value?.trimmingWhitespace ?? ""
            if trimmed.isEmpty {
                if required { issues.append(.required(field)) }
            } else if let issue = TextRules.issue(trimmed, field: field, max: max, shape: shape) {
                issues.append(issue)
            }
        }
        text(customer.name, "customer.name", max: Limits.name, required: true)
        text(subject, "subject", max: Limits.subject, required: true)
        text(description, "description", max: Limits.description, shape: .multiLine, required: true)
        text(transcript, "transcript", max: Limits.transcript, shape: .multiLine)
        text(reference, "reference", max: Limits.reference)
        text(product, "product", max: Limits.product)
        text(customer.customerID, "customer.customerId", max: Limits.reference)
        text(complainedAboutUser?.rawValue, "complainedAboutUser", max: TextRules.short)
        text(complainedAboutText, "complainedAboutText", max: TextRules.line)
        text(complainedAboutDepartment?.rawValue, "complainedAboutDepartment", max: TextRules.short)
        text(defaultDepartment?.rawValue, "defaultDepartment", max: TextRules.short)
        text(defaultCategory, "defaultCategory", max: TextRules.short)
        text(source, "source", max: TextRules.short)
        if let recording, !recording.contentType.lowercased().hasPrefix("audio/") {
            issues.append(.invalid("recording", zh: "通话录音须为音频文件", en: "must be an audio file"))
        }
        if remedies.count > Remedy.allCases.count || Set(remedies).count != remedies.count {
            issues.append(.invalid("remedies", zh: "诉求不能重复", en: "must not repeat a remedy"))
        }
        let phone = customer.phone?.trimmingCharacters(in: .whitespaces) ?? ""
        let email = customer.email?.trimmingCharacters(in: .whitespaces) ?? ""
        // A chat customer (a WeChat follower) is reached on the chat by their id there.
        let chatID = channel == .im ? customer.customerID?.trimmingCharacters(in: .whitespaces) ?? "" : ""
        if phone.isEmpty && email.isEmpty && chatID.isEmpty {
            issues.append(
                FieldIssue(
                    field: "customer.phone", code: "contact_required",
                    message: LocalizedText(zh: "电话和邮箱至少填写一项", en: "a phone number or an email is required")))
        }
        if !phone.isEmpty && !ContactFormat.isPhone(phone) {
            issues.append(
                .invalid("customer.phone", zh: "电话号码格式不正确", en: "is not a valid phone number"))
        }
        if !email.isEmpty && !ContactFormat.isEmail(email) {
            issues.append(.invalid("customer.email", zh: "邮箱格式不正确", en: "is not a valid email address"))
        }
        return issues
    }
}

/// Checks of contact details: mainland mobiles, landlines with area code, and international numbers.
public enum ContactFormat {
    /// Accepts `13812345678`, `+86 138 1234 5678`, `010-12345678`, `0755 1234 5678`, `+44 20 7946 0958`.
    public static func isPhone(_ text: String) -> Bool {
        var digits = ""
        var plus = false
        for (index, character) in text.enumerated() {
            if character == "+" && index == 0 {
                plus = true
            } else if character.isASCII && character.isNumber {
                digits.append(character)
            } else if character == " " || character == "-" || character == "(" || character == ")" {
                continue
            } else {
                return false
            }
        }
        if plus {
            if digits.hasPrefix("86") {
                // +86 drops a landline's leading 0: +86 10 6552 9988 is 010-6552 9988.
                let rest = String(digits.dropFirst(2))
                return isMainland(rest) || (!rest.hasPrefix("0") && isMainland("0" + rest))
            }
            return (7...15).contains(digits.count)
        }
        return isMainland(digits)
    }

    private static func isMainland(_ digits: String) -> Bool {
        if digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, "3456789".contains(second)
        {
            return true
        }
        // Landline: 0 + 2–3 digit area code + 7–8 digit number.
        if digits.hasPrefix("0") { return (10...12).contains(digits.count) }
        // Service numbers such as 400/800 lines.
        if digits.hasPrefix("400") || digits.hasPrefix("800") { return digits.count == 10 }
        return false
    }

    /// A pragmatic check: one `@`, a non-empty local part, a dotted domain, no spaces.
    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, text.count <= 254 else { return false }
        guard !text.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" }) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }
}
