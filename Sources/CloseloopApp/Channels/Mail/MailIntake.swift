import CloseloopCore
import CloseloopStore
import Foundation

/// Mail from customers, however it arrives (the IMAP poller, `closeloop mail receive` from the company's MTA): the
/// raw message is stored first, then read; a new message opens a complaint and is answered with its number, a reply
/// to a message we sent is added to its complaint, machines' mail is kept and left unanswered, and what cannot be read
/// waits in the quarantine with the reason until someone retries it.
public struct MailIntake: Sendable {
    let store: SQLStore
    let storage: any AttachmentStorage
    let complaints: ComplaintService
    let attachments: AttachmentService
    let settings: LoopSettings
    let time: any TimeSource
    let audit: AuditLog

    static let channel = "email"

    /// Stores and handles one message. A message already received (the same Message-ID, or the same bytes when it
    /// has none) is not handled again: the earlier record is returned. Throws `MailRefusal` for a message that is
    /// not taken at all (empty or over the size limit): the MTA bounces it, the poller leaves it in the mailbox.
    @discardableResult
    public func receive(_ raw: Data, source: String) async throws -> InboundMessage {
        let limits = await settings.mailboxSettings()
        guard raw.contains(where: { !Self.isSpace($0) }) else { throw MailRefusal.empty }
        guard raw.count <= limits.maxMessageBytes else { throw MailRefusal.tooLarge(limit: limits.maxMessageBytes) }
        // The bytes are on disk before anything else is done with them: nothing later can lose the message.
        let digest = try storage.store(raw)
        let parsed = Result { try ParsedMail.parse(raw) }
        let mail = try? parsed.get()
        let now = time.instant()
        let (message, isNew) = try await store.recordInbound(
            InboundMessage(
                id: TimeOrderedID.make(at: now), channel: Self.channel, source: String(source.prefix(100)),
                externalID: mail?.messageID.map { "<\(String($0.prefix(900)))>" } ?? "sha256:\(digest)",
                receivedAt: now, rawSHA256: digest, rawSize: raw.count,
                sender: mail?.from.map { String($0.address.prefix(320)) },
                subject: mail.map { String(MailText.clean($0.subject, shape: .singleLine, max: 500)) }))
        guard isNew || message.status == .pending else { return message }
        return try await handle(message, parsed: parsed, limits: limits)
    }

    /// Handles a recorded message again: one from the quarantine after the cause was fixed, or one whose handling
    /// was cut short. A message that was handled already is left as it is.
    public func retry(_ id: String, by actor: Operator) async throws -> InboundMessage? {
        try actor.require(anyOf: [.administrator, .supervisor])
        guard let message = try await store.inboundMessage(id: id), message.channel == Self.channel else { return nil }
        guard message.status == .quarantined || message.status == .pending else { return message }
        try await audit.record("mail.retry", subject: id, detail: message.reason ?? "", by: actor)
        return try await resume(message)
    }

    /// Takes up messages left pending for more than `age` seconds (the process stopped while handling them).
    @discardableResult
    public func resumeStalled(olderThan age: TimeInterval = 300) async throws -> Int {
        // Mail only: a webhook's or WeChat's caller sends again, and is answered then.
        let stalled = try await store.stalledInbound(
            channel: Self.channel, before: time.instant().addingTimeInterval(-age), limit: 50)
        for message in stalled { _ = try await resume(message) }
        return stalled.count
    }

    /// Messages newest first, for the administration page.
    public func messages(status: InboundMessage.Status?, limit: Int, by actor: Operator) async throws
        -> [InboundMessage]
    {
        try actor.require(anyOf: [.administrator, .supervisor])
        return try await store.inboundMessages(status: status, channel: Self.channel, limit: limit)
    }

    public func counts(by actor: Operator) async throws -> [InboundMessage.Status: Int] {
        try actor.require(anyOf: [.administrator, .supervisor])
        return try await store.inboundCounts(channel: Self.channel)
    }

    /// The raw message as received, for an administrator to download from the quarantine.
    public func raw(_ id: String, by actor: Operator) async throws -> (InboundMessage, Data)? {
        try actor.require(anyOf: [.administrator])
        guard let message = try await store.inboundMessage(id: id), message.channel == Self.channel,
            let bytes = try storage.load(sha256: message.rawSHA256)
        else { return nil }
        return (message, bytes)
    }

    private func resume(_ message: InboundMessage) async throws -> InboundMessage {
        guard let raw = try storage.load(sha256: message.rawSHA256) else {
            return try await finish(message, .quarantined, reason: "the stored raw message is missing")
        }
        return try await handle(
            message, parsed: Result { try ParsedMail.parse(raw) }, limits: settings.mailboxSettings())
    }

    // MARK: - Handling

    private func handle(
        _ message: InboundMessage, parsed: Result<ParsedMail, any Error>, limits: MailboxSettings
    ) async throws -> InboundMessage {
        let mail: ParsedMail
        switch parsed {
        case .success(let value): mail = value
        case .failure(let error): return try await finish(message, .quarantined, reason: "cannot be read: \(error)")
        }
        guard let sender = mail.from else { return try await finish(message, .quarantined, reason: "no sender") }
        if let automatic = mail.automatic { return try await finish(message, .ignored, reason: automatic) }
        let delivery = await settings.deliverySettings()
        if Self.sameAddress(sender.address, Self.bareAddress(delivery.emailFrom)) {
            return try await finish(message, .ignored, reason: "sent by this system's own address")
        }
        guard ContactFormat.isEmail(sender.address) else {
            return try await finish(message, .quarantined, reason: "the sender \(sender.address) is not an address")
        }
        let files: (kept: [AttachmentReference], dropped: [String])
        do {
            files = try await store(mail.attachments, limit: limits.maxAttachmentBytes)
        } catch {
            return try await finish(message, .quarantined, reason: "an attachment cannot be stored: \(error)")
        }
        do {
            if let record = try await thread(of: mail, from: sender.address), record.complaint.state != .archived {
                try await append(mail, files: files, to: record, message: message)
                return try await finish(message, .appended, complaint: record.complaint.id)
            }
            let record = try await open(mail, from: sender, files: files, message: message)
            return try await finish(message, .created, complaint: record.complaint.id)
        } catch let error as DomainError {
            return try await finish(message, .quarantined, reason: "refused: \(error)")
        }
    }

    /// The complaint a reply belongs to: a message we sent named in `In-Reply-To` or `References`, or else the
    /// number in the subject (`[#250912099]`) of a complaint filed from the same address, so a stranger cannot write
    /// into someone else's complaint by copying its number.
    private func thread(of mail: ParsedMail, from sender: String) async throws -> ComplaintRecord? {
        for id in (mail.inReplyTo + mail.references.reversed()) where id.hasSuffix("@closeloop") {
            let outboxID = String(id.dropLast("@closeloop".count))
            if let complaint = try await store.complaintOfOutbox(outboxID),
                let record = try await complaints.record(id: complaint)
            {
                return record
            }
        }
        for number in Self.numbers(in: mail.subject) {
            if let record = try await complaints.record(number: number),
                let email = record.complaint.intake.customer.email, Self.sameAddress(email, sender)
            {
                return record
            }
        }
        return nil
    }

    /// Adds the reply to its complaint, without the quoted original.
    private func append(
        _ mail: ParsedMail, files: (kept: [AttachmentReference], dropped: [String]), to record: ComplaintRecord,
        message: InboundMessage
    ) async throws {
        try await complaints.receiveCustomerMessage(
            .init(
                channel: .email, subject: MailText.clean(mail.subject, shape: .singleLine, max: TextRules.line),
                text: Self.body(MailText.withoutQuotedReply(mail.text), dropped: files.dropped),
                attachments: files.kept, externalID: message.externalID),
            on: record.complaint.id)
    }

    /// Opens a complaint from a new message; the acknowledgement with its number is written with it
    /// (`CustomerNotices`).
    private func open(
        _ mail: ParsedMail, from sender: ParsedMail.Address, files: (kept: [AttachmentReference], dropped: [String]),
        message: InboundMessage
    ) async throws -> ComplaintRecord {
        var kept = files.kept
        var text = Self.body(mail.text, dropped: files.dropped)
        if text.count > Intake.Limits.description {
            // The whole text stays with the complaint as a file; the description holds what fits.
            kept.append(
                try await attachments.store(Data(text.utf8), fileName: "mail.txt", contentType: "text/plain"))
            text = String(text.prefix(Intake.Limits.description - 20)) + "\n…"
        }
        let subject = MailText.clean(mail.subject, shape: .singleLine, max: Intake.Limits.subject)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let name = MailText.clean(sender.name ?? "", shape: .singleLine, max: Intake.Limits.name)
        let intake = Intake(
            channel: .email, kind: .complaint,
            customer: CustomerDetails(
                name: name.isEmpty ? String(sender.address.split(separator: "@").first ?? "") : name,
                email: sender.address),
            subject: subject.isEmpty
                ? (firstLine.isEmpty
                    ? "(无主题 / no subject)" : MailText.clean(firstLine, shape: .singleLine, max: Intake.Limits.subject))
                : subject,
            description: text.isEmpty ? "(邮件无正文 / the mail has no text)" : text,
            attachments: Array(kept.prefix(TextRules.listItems)))
        // The idempotency key is the record's own: a retry after a crash returns the complaint made the first time.
        let (record, _) = try await complaints.create(
            intake, idempotencyKey: "inbound:\(message.id)", by: .system)
        return record
    }

    /// Stores the attachments within the size limit; the others are named so the complaint says what was left in
    /// the raw message. Empty parts are skipped.
    private func store(_ files: [ParsedMail.Attachment], limit: Int) async throws
        -> (kept: [AttachmentReference], dropped: [String])
    {
        var kept: [AttachmentReference] = []
        var dropped: [String] = []
        for file in files where !file.data.isEmpty {
            if file.data.count > limit || kept.count >= TextRules.listItems {
                dropped.append(file.fileName)
                continue
            }
            kept.append(try await attachments.store(file.data, fileName: file.fileName, contentType: file.contentType))
        }
        return (kept, dropped)
    }

    private static func body(_ text: String, dropped: [String]) -> String {
        var body = MailText.clean(text, shape: .multiLine, max: TextRules.transcript)
        if !dropped.isEmpty {
            let names = dropped.joined(separator: ", ")
            body += "\n\n[未导入的附件（超过大小限制，保存在原始邮件中）/ attachments kept only in the raw message: \(names)]"
        }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private func finish(
        _ message: InboundMessage, _ status: InboundMessage.Status, reason: String? = nil,
        complaint: ComplaintID? = nil
    ) async throws -> InboundMessage {
        let now = time.instant()
        try await store.finishInbound(
            message.id, status: status, reason: reason, complaint: complaint, sender: nil, subject: nil, at: now)
        return try await store.inboundMessage(id: message.id) ?? message
    }

    // MARK: - Small readings

    /// Complaint numbers written `[#…]` in a subject.
    static func numbers(in subject: String) -> [String] {
        var found: [String] = []
        var rest = Substring(subject)
        while let open = rest.range(of: "[#") {
            guard let close = rest[open.upperBound...].firstIndex(of: "]") else { break }
            let number = rest[open.upperBound..<close].trimmingCharacters(in: .whitespaces)
            if !number.isEmpty && number.count <= 40 { found.append(number) }
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// `Name <a@b>` or `a@b` → `a@b`.
    static func bareAddress(_ text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            return String(text[text.index(after: open)..<close])
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func sameAddress(_ lhs: String, _ rhs: String) -> Bool {
        lhs.trimmingCharacters(in: .whitespaces).lowercased() == rhs.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

/// Why a message was not taken at all.
public enum MailRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .tooLarge(let limit): "the message is larger than the limit of \(limit) bytes"
        }
    }
}
