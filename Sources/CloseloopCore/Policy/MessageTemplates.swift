import Foundation

/// Editable texts sent to customers and staff, in both languages, with `{placeholder}` fields (SPEC §5: issue
/// summary, progress, next step, expected time).
public struct MessageTemplates: Hashable, Codable, Sendable {
    /// What a template is for.
    public enum Purpose: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
        /// Confirms receipt and gives the number.
        case acknowledgement
        /// The regular progress update of the priority's cadence.
        case progressUpdate = "progress_update"
        /// Tells the customer the settled proposal.
        case proposal
        /// Asks the customer to confirm the result and rate it.
        case resultConfirmation = "result_confirmation"
        /// Asks the customer for what is missing before their complaint can be handled.
        case informationRequest = "information_request"
        /// Tells staff a deadline is near.
        case deadlineWarning = "deadline_warning"
        /// Tells staff (and, level by level, their managers) a deadline was missed.
        case deadlineBreach = "deadline_breach"
    }

    public var templates: [Purpose: LocalizedText]

    public init(templates: [Purpose: LocalizedText]) {
        self.templates = templates
    }

    /// The placeholders a template may use.
    public static let placeholders = [
        "number", "customer", "summary", "progress", "next_step", "expected_time", "clock", "due", "level", "link",
    ]

    /// Fills a template's placeholders; unknown placeholders stay as written so a typo is visible.
    public func render(_ purpose: Purpose, in language: Language, values: [String: String]) -> String {
        var text = (templates[purpose] ?? Self.standard.templates[purpose])?.text(in: language) ?? ""
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Problems, each a sentence: empty texts and unknown placeholders.
    public func problems() -> [String] {
        var problems: [String] = []
        for purpose in Purpose.allCases {
            guard let text = templates[purpose] else {
                problems.append("the \(purpose.rawValue) template is missing")
                continue
            }
            for (language, body) in [("zh-Hans", text.zhHans), ("en", text.en)] {
                if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append("the \(purpose.rawValue) template is empty in \(language)")
                }
                for name in Self.placeholderNames(in: body) where !Self.placeholders.contains(name) {
                    problems.append(
                        "the \(purpose.rawValue) template (\(language)) uses an unknown placeholder {\(name)}")
                }
            }
        }
        return problems
    }

    static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                names.append(name)
                current = nil
            } else if current != nil {
                current?.append(character)
            }
        }
        return names
    }

    public static let standard = MessageTemplates(templates: [
        .acknowledgement: LocalizedText(
            zh: "尊敬的{customer}：您的投诉已受理，单号 {number}。我们会尽快与您联系。",
            en: "Dear {customer}, we have received your complaint, number {number}. We will contact you shortly."),
        .progressUpdate: LocalizedText(
            zh: "尊敬的{customer}：关于您的投诉 {number}（{summary}），目前进展：{progress}。下一步：{next_step}。预计完成时间：{expected_time}。",
            en:
                "Dear {customer}, about your complaint {number} ({summary}): {progress}. Next step: {next_step}. Expected by {expected_time}."
        ),
        .proposal: LocalizedText(
            zh: "尊敬的{customer}：关于投诉 {number}，我们的处理方案是：{progress}。请告知您是否同意。",
            en: "Dear {customer}, for complaint {number} we propose: {progress}. Please let us know whether you agree."),
        .deadlineWarning: LocalizedText(
            zh: "【时限预警】投诉 {number}（{summary}）的「{clock}」将于 {due} 到期，请及时处理。",
            en: "[Deadline warning] Complaint {number} ({summary}): {clock} is due at {due}."),
        .deadlineBreach: LocalizedText(
            zh: "【超时告警·{level}级】投诉 {number}（{summary}）的「{clock}」已于 {due} 超时，请立即处理。",
            en: "[Deadline missed, level {level}] Complaint {number} ({summary}): {clock} was due at {due}."),
        .informationRequest: LocalizedText(
            zh: "尊敬的{customer}：为处理您的投诉 {number}，请补充以下资料：{progress}。您可以直接回复本邮件或通过下面的链接提交。",
            en:
                "Dear {customer}, to handle your complaint {number} we need: {progress}. Reply to this message or send it through the link below."
        ),
        .resultConfirmation: LocalizedText(
            zh: "尊敬的{customer}：投诉 {number} 已处理完毕：{progress}。请确认问题是否解决，并为我们的服务评分（1–5 分）。",
            en:
                "Dear {customer}, complaint {number} has been dealt with: {progress}. Please confirm whether it is solved and rate our service from 1 to 5."
        ),
    ])
}
