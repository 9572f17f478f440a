import CloseloopCore
import CloseloopStore
import Crypto
import Foundation

/// Followers' messages pushed by a WeChat official account (plain-text mode): the signature checked, the raw body
/// stored once per message id (WeChat pushes again when it gets no answer within five seconds), a follower's first
/// message opening a complaint and the next ones added to it while it is open, and the number given back at once as
/// the passive reply.
public struct WeChatIntake: Sendable {
    let store: SQLStore
    let storage: any AttachmentStorage
    let complaints: ComplaintService
    let settings: LoopSettings
    let time: any TimeSource

    static let channel = "wechat"

    /// The account, when `signature` is WeChat's SHA-1 of its token, `timestamp` and `nonce` sorted and joined.
    public func account(named name: String, signature: String?, timestamp: String?, nonce: String?) async
        -> WeChatSettings.Account?
    {
        guard let signature, let timestamp, let nonce,
            let account = await settings.weChatSettings().accounts.first(where: { $0.name == name && $0.enabled })
        else { return nil }
        let expected = Self.signature(token: account.token, timestamp: timestamp, nonce: nonce)
        return RandomToken.equal(expected, signature.lowercased()) ? account : nil
    }

    public static func signature(token: String, timestamp: String, nonce: String) -> String {
        let joined = [token, timestamp, nonce].sorted().joined()
        return Insecure.SHA1.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Handles one pushed body and returns what to answer WeChat: a passive text reply, or `success` (WeChat's
    /// "nothing to say").
    public func receive(_ body: Data, account: WeChatSettings.Account) async throws -> String {
        let now = time.instant()
        let digest = try storage.store(body)
        guard let message = WeChatMessage.parse(body) else {
            _ = try await store.recordInbound(
                InboundMessage(
                    id: TimeOrderedID.make(at: now), channel: Self.channel, source: account.name,
                    externalID: "sha256:\(digest)", receivedAt: now, rawSHA256: digest, rawSize: body.count,
                    status: .quarantined, reason: "not a WeChat message"))
            return "success"
        }
        let externalID = "\(account.name):" + (message.messageID ?? "\(message.fromUser):\(message.createTime)")
        let (inbound, isNew) = try await store.recordInbound(
            InboundMessage(
                id: TimeOrderedID.make(at: now), channel: Self.channel, source: account.name,
                externalID: String(externalID.prefix(300)), receivedAt: now, rawSHA256: digest, rawSize: body.count,
                sender: message.fromUser, subject: String(message.text.prefix(100))))
        if !isNew, inbound.status != .pending {
            // WeChat asks again when our first answer was late: the same answer.
            guard let number = inbound.complaintNumber else { return "success" }
            return reply(to: message, inbound.status == .appended ? .appended(number) : .created(number))
        }
        guard message.type != "event" else {
            try await finish(inbound, .ignored, reason: "event \(message.event ?? "")", complaint: nil)
            return "success"
        }
        let text = message.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            try await finish(inbound, .ignored, reason: "an empty \(message.type) message", complaint: nil)
            return "success"
        }
        do {
            if let id = try await store.latestComplaint(channel: Self.channel, sender: message.fromUser),
                let record = try await complaints.record(id: id), record.complaint.state.isOpen
            {
                try await complaints.receiveCustomerMessage(
                    .init(channel: .im, text: text, externalID: inbound.externalID), on: record.complaint.id)
                try await finish(inbound, .appended, complaint: record.complaint.id)
                return reply(to: message, .appended(record.complaint.number))
            }
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            var intake = Intake(
                channel: .im, kind: .complaint,
                customer: CustomerDetails(name: "微信用户", customerID: message.fromUser),
                subject: MailText.clean(firstLine, shape: .singleLine, max: 60),
                description: MailText.clean(text, shape: .multiLine, max: Intake.Limits.description))
            intake.source = IntakeSource(.wechat, account.name).text
            let (record, _) = try await complaints.create(intake, idempotencyKey: "inbound:\(inbound.id)", by: .system)
            try await finish(inbound, .created, complaint: record.complaint.id)
            return reply(to: message, .created(record.complaint.number))
        } catch let error as DomainError {
            try await finish(inbound, .quarantined, reason: "refused: \(error)", complaint: nil)
            return "success"
        }
    }

    private enum Outcome {
        case created(String)
        case appended(String)
    }

    private func reply(to message: WeChatMessage, _ outcome: Outcome) -> String {
        let text: String
        switch outcome {
        case .created(let number):
            text = "您的投诉已受理，单号 \(number)。我们会尽快与您联系，您也可以继续在这里补充情况。"
        case .appended(let number):
            text = "已收到，已补充到您的投诉 \(number)。"
        }
        return WeChatMessage.reply(to: message, text: text, at: Int(time.now().timeIntervalSince1970))
    }

    private func finish(
        _ message: InboundMessage, _ status: InboundMessage.Status, reason: String? = nil, complaint: ComplaintID?
    ) async throws {
        try await store.finishInbound(
            message.id, status: status, reason: reason, complaint: complaint, sender: nil, subject: nil,
            at: time.instant())
    }
}
