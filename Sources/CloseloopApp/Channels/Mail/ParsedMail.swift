import Foundation

/// One email as a complaint needs it (issue 13): who sent it, what it says, what it replies to, its files, and
/// whether a machine sent it. Parsed from the raw message by `ParsedMail.parse`.
public struct ParsedMail: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var name: String?
        public var address: String
    }

    public struct Attachment: Sendable, Equatable {
        public var fileName: String
        public var contentType: String
        public var data: Data
        /// The `Content-ID` an HTML body refers to an inline image by, without its angle brackets.
        public var contentID: String?
        public var inline: Bool
    }

    public var from: Address?
    public var subject: String
    public var messageID: String?
    /// `In-Reply-To` and `References`, ids without angle brackets, oldest first.
    public var inReplyTo: [String]
    public var references: [String]
    public var date: Date?
    /// The readable text: the plain part, or the HTML part turned into text when there is no plain one.
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// Why a machine sent it (an auto-reply, a bounce, a list), nil for a person's message.
    public var automatic: String?

    /// Parses a raw RFC 5322 message; throws when it has no header or no sender.
    public static func parse(_ raw: Data) throws -> ParsedMail {
        let part = MIMEPart(Array(raw))
        guard !part.headers.isEmpty else { throw MailParseError.noHeader }
        var mail = ParsedMail(
            from: part.header("from").flatMap { Self.addresses(EncodedWords.decode($0)).first },
            subject: part.header("subject").map { Self.unfolded(EncodedWords.decode($0)) } ?? "",
            messageID: part.header("message-id").flatMap { Self.ids(String(decoding: $0, as: UTF8.self)).first },
            inReplyTo: part.header("in-reply-to").map { Self.ids(String(decoding: $0, as: UTF8.self)) } ?? [],
            references: part.header("references").map { Self.ids(String(decoding: $0, as: UTF8.self)) } ?? [],
            date: part.header("date").flatMap { Self.date(String(decoding: $0, as: UTF8.self)) },
            text: "", html: nil, attachments: [], automatic: Self.automatic(part))
        guard mail.from != nil else { throw MailParseError.noSender }
        var plain: [String] = []
        var html: [String] = []
        part.walk { leaf in
            if let attachment = leaf.attachment {
                mail.attachments.append(attachment)
            } else if leaf.contentType == "text/html" {
                html.append(leaf.text)
            } else if leaf.contentType.hasPrefix("text/") {
                plain.append(leaf.text)
            }
        }
        mail.html = html.isEmpty ? nil : html.joined(separator: "\n")
        let text = plain.isEmpty ? html.map(HTMLText.text(of:)) : plain
        mail.text = text.joined(separator: "\n\n").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return mail
    }

    /// Auto-replies, bounces and mailing-list traffic (RFC 3834, RFC 3464, `Precedence`, vendors' own headers):
    /// never a complaint, never answered, so no mail loops.
    private static func automatic(_ part: MIMEPart) -> String? {
        func value(_ name: String) -> String? {
            part.header(name).map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            }
        }
        if let submitted = value("auto-submitted"), submitted != "no" { return "Auto-Submitted: \(submitted)" }
        if let precedence = value("precedence"), ["bulk", "junk", "list", "auto_reply"].contains(precedence) {
            return "Precedence: \(precedence)"
        }
        for name in ["x-autoreply", "x-autorespond", "x-auto-response-suppress", "list-id", "list-unsubscribe"]
        where value(name) != nil {
            if name == "x-auto-response-suppress" { continue }
            return name
        }
        if part.contentType == "multipart/report" { return "delivery report" }
        if let from = value("from"), from.contains("mailer-daemon") || from.contains("postmaster@") {
            return "from \(from)"
        }
        if let returnPath = value("return-path"), returnPath == "<>" { return "empty Return-Path" }
        return nil
    }

    /// Addresses of an address header: `"张伟" <zhang@example.cn>`, `zhang@example.cn (张伟)`, bare addresses.
    static func addresses(_ text: String) -> [Address] {
        var result: [Address] = []
        var current = ""
        var quoted = false
        var depth = 0
        for character in text + "," {
            if character == "\"" { quoted.toggle() }
            if character == "<" { depth += 1 }
            if character == ">" { depth = max(0, depth - 1) }
            if character == "," && !quoted && depth == 0 {
                if let address = address(current) { result.append(address) }
                current = ""
            } else {
                current.append(character)
            }
        }
        return result
    }

    private static func address(_ text: String) -> Address? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close {
            let address = trimmed[trimmed.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            guard address.contains("@") else { return nil }
            return Address(name: name.isEmpty ? nil : name, address: address.lowercased())
        }
        let word = trimmed.split(whereSeparator: { $0 == " " || $0 == "(" }).first.map(String.init) ?? ""
        guard word.contains("@") else { return nil }
        var name: String?
        if let open = trimmed.firstIndex(of: "("), let close = trimmed.lastIndex(of: ")"), open < close {
            name = String(trimmed[trimmed.index(after: open)..<close])
        }
        return Address(name: name, address: word.lowercased())
    }

    /// Message ids in angle brackets, in order.
    static func ids(_ text: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            ids.append(text.trimmingCharacters(in: .whitespaces))
        }
        return ids
    }

    private static func unfolded(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\n", with: "")
            .trimmingCharacters(in: .whitespaces)
    }

    private static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let cleaned = text.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? text
        for format in ["EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: cleaned) { return date }
        }
        return nil
    }
}

/// Why a raw message could not be read: what the quarantine keeps beside it.
public enum MailParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case noHeader
    case noSender

    public var description: String {
        switch self {
        case .noHeader: "the message has no header"
        case .noSender: "the message names no sender (From)"
        }
    }
}
