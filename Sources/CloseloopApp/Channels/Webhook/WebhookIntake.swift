import CloseloopCore
import CloseloopStore
import Crypto
import Foundation

/// Customers' messages posted by the company's other systems (`POST /api/v1/intake/webhook/<source>`): the
/// signature checked before anything is read, the raw body stored before it is acted on, once per source message
/// id; a reply from the complaint's own customer added to it, anything else a new complaint.
public struct WebhookIntake: Sendable {
    let store: SQLStore
    let storage: any AttachmentStorage
    let complaints: ComplaintService
    let settings: LoopSettings
    let time: any TimeSource

    static let channel = "webhook"

    /// What a source posted, as the API decoded it.
    public struct Message: Sendable {
        public var messageID: String
        public var customer: CustomerDetails
        public var subject: String?
        public var text: String
        public var reference: String?
        public var product: String?
        public var replyTo: String?

        public init(
            messageID: String, customer: CustomerDetails, subject: String?, text: String, reference: String?,
            product: String?, replyTo: String?
        ) {
            self.messageID = messageID
            self.customer = customer
            self.subject = subject
            self.text = text
            self.reference = reference
            self.product = product
            self.replyTo = replyTo
        }
    }

    /// What became of a message.
    public struct Receipt: Sendable, Equatable {
        public var appended: Bool
        public var complaintNumber: String
        public var duplicate: Bool
    }

    /// The source, when `signature` is the HMAC of `timestamp.body` under its secret and `timestamp` is within the
    /// replay window; otherwise throws `WebhookRefusal`, the same for an unknown source as for a wrong signature.
    public func authenticate(source name: String, timestamp: String?, signature: String?, body: Data) async throws
        -> WebhookSettings.Source
    {
        let settings = await settings.webhookSettings()
        guard let source = settings.sources.first(where: { $0.name == name && $0.enabled }),
            let timestamp, let signature, signature.hasPrefix("sha256=")
        else { throw WebhookRefusal.badSignature }
        let expected = Self.signature(timestamp: timestamp, body: body, secret: source.secret)
        guard RandomToken.equal(String(signature.dropFirst("sha256=".count)).lowercased(), expected) else {
            throw WebhookRefusal.badSignature
        }
        guard let seconds = Double(timestamp),
            abs(time.now().timeIntervalSince1970 - seconds) <= Double(settings.replayWindowSeconds)
        else { throw WebhookRefusal.stale }
        return source
    }

    /// `hex(HMAC-SHA256(secret, timestamp + "." + body))`.
    public static func signature(timestamp: String, body: Data, secret: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: key)
        return Data(code).map { String(format: "%02x", $0) }.joined()
    }

    /// Records and handles a message from an authenticated source.
    public func receive(_ message: Message, raw: Data, from source: WebhookSettings.Source) async throws -> Receipt {
        let now = time.instant()
        let digest = try storage.store(raw)
        let (inbound, isNew) = try await store.recordInbound(
            InboundMessage(
                id: TimeOrderedID.make(at: now), channel: Self.channel, source: source.name,
                externalID: "\(source.name):\(message.messageID)", receivedAt: now, rawSHA256: digest,
                rawSize: raw.count, sender: message.customer.phone ?? message.customer.email,
                subject: message.subject.map { String($0.prefix(500)) }))
        if !isNew, inbound.status != .pending, let number = inbound.complaintNumber {
            return Receipt(appended: inbound.status == .appended, complaintNumber: number, duplicate: true)
        }
        if let number = message.replyTo, let record = try await complaints.record(number: number),
            record.complaint.state != .archived, Self.sameCustomer(message.customer, record.complaint.intake.customer)
        {
            try await complaints.receiveCustomerMessage(
                .init(
                    channel: source.channel, subject: message.subject, text: message.text,
                    externalID: inbound.externalID),
                on: record.complaint.id)
            try await store.finishInbound(
                inbound.id, status: .appended, reason: nil, complaint: record.complaint.id, sender: nil, subject: nil,
                at: now)
            return Receipt(appended: true, complaintNumber: record.complaint.number, duplicate: !isNew)
        }
        let text = message.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let subject =
            message.subject?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            ?? String(firstLine.prefix(Intake.Limits.subject))
        var intake = Intake(
            channel: source.channel, kind: .complaint, customer: message.customer, reference: message.reference,
            product: message.product, subject: subject, description: text)
        intake.defaultDepartment = source.department
        intake.defaultCategory = source.category
        intake.source = IntakeSource(.webhook, source.name).text
        do {
            let (record, _) = try await complaints.create(
                intake, idempotencyKey: "inbound:\(inbound.id)", by: .system)
            try await store.finishInbound(
                inbound.id, status: .created, reason: nil, complaint: record.complaint.id, sender: nil, subject: nil,
                at: now)
            return Receipt(appended: false, complaintNumber: record.complaint.number, duplicate: !isNew)
        } catch let error as DomainError {
            // Refused as input: the caller is told why and may send it again corrected under a new id; the raw
            // message stays on record.
            try await store.finishInbound(
                inbound.id, status: .quarantined, reason: "refused: \(error)", complaint: nil, sender: nil,
                subject: nil, at: now)
            throw error
        }
    }

    /// The same customer: the same phone (in any format) or the same email address.
    static func sameCustomer(_ lhs: CustomerDetails, _ rhs: CustomerDetails) -> Bool {
        if let a = lhs.phone, let b = rhs.phone, !PhoneKey.normalized(a).isEmpty,
            PhoneKey.normalized(a) == PhoneKey.normalized(b)
        {
            return true
        }
        if let a = lhs.email, let b = rhs.email, !a.isEmpty {
            return a.trimmingCharacters(in: .whitespaces).lowercased()
                == b.trimmingCharacters(in: .whitespaces)
                .lowercased()
        }
        return false
    }
}

/// Why a webhook call was refused before its body was read.
public enum WebhookRefusal: Error, Sendable, Equatable {
    /// An unknown or disabled source, a missing or wrong signature: one answer for all, so sources cannot be probed.
    case badSignature
    /// A timestamp outside the replay window.
    case stale
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
