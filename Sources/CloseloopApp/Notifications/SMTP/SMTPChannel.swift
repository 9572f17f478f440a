import CloseloopStore
import Foundation

/// Email through an SMTP relay, the same message the `sendmail` channel writes (stable Message-ID included).
struct SMTPChannel: DeliveryChannel {
    let settings: SMTPSettings
    let from: String

    func deliver(_ message: OutboxMessage, secret: String?, at now: Date) async throws {
        let mail = MailMessage.compose(message, from: from, at: now)
        try await SMTPClient(settings: settings).send(mail, from: from, to: [message.recipient])
    }
}
