import CloseloopCore
import CloseloopStore
import Foundation

/// The email every mail channel sends: UTF-8 text with a stable Message-ID, so a message resent after a crash
/// between sending and marking it sent can be recognised by the mail system; with attachments, multipart/mixed with
/// the text first and each file in base64.
enum MailMessage {
    static func compose(_ message: OutboxMessage, from: String, at now: Date) -> String {
        let subject = "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let headers = [
            "From: \(from)", "To: \(message.recipient)", "Subject: \(subject)",
            "Date: \(InstantText.mailDate(now))", "Message-ID: <\(message.id)@closeloop>", "MIME-Version: 1.0",
        ]
        let text = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64"]
        guard !message.attachments.isEmpty else {
            return (headers + text + ["", base64(Data(message.body.utf8)), ""]).joined(separator: "\r\n")
        }
        // The boundary is derived from the message id, which no base64 line or header here can contain.
        let boundary = "=_closeloop_\(Digest.hex(Data(message.id.utf8)).prefix(24))"
        var lines = headers + ["Content-Type: multipart/mixed; boundary=\"\(boundary)\"", ""]
        lines += ["--\(boundary)"] + text + ["", base64(Data(message.body.utf8))]
        for file in message.attachments {
            let name = safeName(file.fileName)
            lines += [
                "--\(boundary)", "Content-Type: \(file.contentType); name=\"\(name)\"",
                "Content-Disposition: attachment; filename=\"\(name)\"", "Content-Transfer-Encoding: base64", "",
                base64(file.data),
            ]
        }
        lines += ["--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    private static func base64(_ data: Data) -> String {
        data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }

    /// A file name as a quoted header value: printable ASCII without quotes or backslashes (the names are ours).
    private static func safeName(_ name: String) -> String {
        String(
            name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" }
        )
    }
}
