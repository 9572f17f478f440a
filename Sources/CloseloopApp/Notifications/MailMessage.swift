import CloseloopStore
import Foundation

/// The email every mail channel sends: plain-text UTF-8 with a stable Message-ID, so a message resent after a
/// crash between sending and marking it sent can be recognised by the mail system.
enum MailMessage {
    static func compose(_ message: OutboxMessage, from: String, at now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let body = Data(message.body.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return [
            "From: \(from)", "To: \(message.recipient)", "Subject: \(subject)",
            "Date: \(formatter.string(from: now))", "Message-ID: <\(message.id)@closeloop>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", body, "",
        ].joined(separator: "\r\n")
    }
}
