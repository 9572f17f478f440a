import CloseloopCore
import CloseloopStore
import Foundation

/// The messages the customer receives on their own channel, from the editable templates: never a staff name, always
/// the number, and the link to their complaint when the portal's address is known.
enum CustomerNotices {
    /// The reply to a complaint received by mail: its number in the subject (`[#250912099]`), so the customer's
    /// answer to it finds the complaint again even from a client that drops `In-Reply-To`.
    static func mailAcknowledgement(
        id: String, of complaint: Complaint, originalSubject: String, to recipient: String, language: Language,
        templates: MessageTemplates, link: String?, at now: Date
    ) -> OutboxMessage {
        let body = render(
            .acknowledgement, of: complaint, language: language, templates: templates, link: link)
        let subject = "[#\(complaint.number)] " + (originalSubject.isEmpty ? complaint.intake.subject : originalSubject)
        return OutboxMessage(
            id: id, createdAt: now, complaintID: complaint.id, topic: "customer.acknowledgement", channel: "email",
            recipient: recipient, subject: String(subject.prefix(200)), body: body)
    }

    /// A template filled for this complaint; the link is added on a line of its own when the template has no
    /// `{link}` of its own.
    static func render(
        _ purpose: MessageTemplates.Purpose, of complaint: Complaint, language: Language, templates: MessageTemplates,
        link: String?
    ) -> String {
        let values = [
            "number": complaint.number, "customer": complaint.intake.customer.name,
            "summary": complaint.intake.subject, "link": link ?? "",
        ]
        var text = templates.render(purpose, in: language, values: values)
        let usesLink =
            (templates.templates[purpose] ?? MessageTemplates.standard.templates[purpose])?.text(
                in: language
            ).contains("{link}") ?? false
        if let link, !usesLink {
            text +=
                "\n\n" + LocalizedText(zh: "查看和答复：\(link)", en: "See and answer it here: \(link)").text(in: language)
        }
        return text
    }

    /// Chinese unless the customer wrote without a single Chinese character.
    static func language(of text: String) -> Language {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
            || text.isEmpty ? .zhHans : .en
    }
}
