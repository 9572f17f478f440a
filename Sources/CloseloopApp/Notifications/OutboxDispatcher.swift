import AsyncHTTPClient
import CloseloopCore
import CloseloopStore
import Foundation
import Logging
import ServiceLifecycle

/// Delivers the outbox (ARCHITECTURE step 4): claims due messages for a lease, sends each on its channel, marks it
/// sent, or schedules another attempt with a doubling wait until the policy's last attempt marks it failed. A
/// message stays in the table until it is sent, so a restart loses nothing; a claim keeps two instances from
/// sending one message at once. A crash between sending and marking sends that one message again after its lease,
/// which is why emails carry a stable Message-ID and webhooks an Idempotency-Key.
public struct OutboxDispatcher: Service {
    let store: SQLStore
    public let settings: LoopSettings
    public let time: any TimeSource
    public let interval: Duration
    public let logger: Logger
    let client: HTTPClient
    /// Told of each message delivered to a complaint's customer, to record it on the complaint.
    let delivered: (@Sendable (OutboxMessage) async -> Void)?
    /// The portal links a WeChat template message opens.
    let links: CustomerLinks?
    let weChatTokens: WeChatAccessTokens
    /// Told when the loop starts and of each pass finished, for the instance's health check.
    let health: HealthRecorder?

    init(
        store: SQLStore, settings: LoopSettings, time: any TimeSource, interval: Duration = .seconds(5),
        logger: Logger = Logger(label: "closeloop.outbox"), links: CustomerLinks? = nil, health: HealthRecorder? = nil,
        delivered: (@Sendable (OutboxMessage) async -> Void)? = nil
    ) {
        self.store = store
        self.health = health
        self.settings = settings
        self.time = time
        self.interval = interval
        self.logger = logger
        self.links = links
        self.delivered = delivered
        client = HTTPClient.shared
        weChatTokens = WeChatAccessTokens(client: HTTPClient.shared) { [time] in time.instant() }
    }

    public func run() async throws {
        health?.watch(.outboxDispatcher)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let (sent, failed) = try await OperationalMetrics.pass("outbox") { try await pass() }
                    health?.finished(.outboxDispatcher)
                    OperationalMetrics.outboxAttempts(sent: sent, failed: failed)
                    let backlog = try await store.outboxBacklog()
                    OperationalMetrics.outboxBacklog(pending: backlog.pending, failed: backlog.failed)
                } catch {
                    logger.error("outbox pass failed", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels the sleep: stop quietly rather than report it as a failure.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
            }
        }
    }

    /// Sends what is due now; returns how many messages were sent and how many failed an attempt.
    @discardableResult
    public func pass(batchSize: Int = 50) async throws -> (sent: Int, failed: Int) {
        let delivery = await settings.deliverySettings()
        var sent = 0
        var failed = 0
        while true {
            let now = time.instant()
            let claimed = try await store.claimOutbox(at: now, limit: batchSize, lease: 120)
            if claimed.isEmpty { break }
            for (index, var message) in claimed.enumerated() {
                // A shutdown stops the pass between messages: what it claimed and did not try goes back at once,
                // for the next instance or the restarted one, with no attempt counted.
                guard !Task.isCancelled else {
                    await release(claimed[index...])
                    return (sent, failed)
                }
                do {
                    if message.channel == "email" {
                        message.attachments = try await store.outboxAttachments(of: message.id)
                    }
                    let secret = try await store.notificationSecret(
                        channel: message.channel, address: message.recipient)
                    try await channel(for: message.channel, delivery).deliver(
                        message, secret: secret, at: time.instant())
                    try await store.markSent(message.id, at: time.instant())
                    sent += 1
                    if message.topic.hasPrefix("customer."), message.complaintID != nil, let delivered {
                        await delivered(message)
                    }
                } catch {
                    // Stopped by the shutdown, not refused by the receiver: not an attempt.
                    if Task.isCancelled {
                        await release(claimed[index...])
                        return (sent, failed)
                    }
                    failed += 1
                    let attempts = message.attempts + 1
                    let permanent = (error as? DeliveryError)?.permanent ?? false
                    let retryAt =
                        permanent || attempts >= delivery.maxAttempts
                        ? nil : time.instant().addingTimeInterval(delivery.retryDelay(afterAttempts: attempts))
                    try await store.markAttemptFailed(message.id, error: "\(error)", retryAt: retryAt)
                    logger.warning(
                        "notification not delivered",
                        metadata: [
                            "id": "\(message.id)", "channel": "\(message.channel)", "attempt": "\(attempts)",
                            "error": "\(error)",
                        ])
                }
            }
            if claimed.count < batchSize { break }
        }
        return (sent, failed)
    }

    /// Gives back what a stopped pass claimed and did not finish, in a task of its own: the pass's task is
    /// cancelled, and a database call made from it may refuse to start. Should this fail too, the messages are due
    /// again when their claim runs out.
    private func release(_ messages: ArraySlice<OutboxMessage>) async {
        let (store, ids) = (store, messages.map(\.id))
        do {
            try await Task { try await store.releaseOutbox(ids) }.value
        } catch {
            logger.warning("claimed notifications not given back", metadata: ["error": "\(error)"])
        }
    }

    /// Sends a test message to `address` on `channel` at once, outside the outbox, so an administrator setting up
    /// a channel sees the receiver's answer; throws the refusal in words.
    public func sendTest(channel name: String, address: String, secret: String?) async throws {
        let now = time.instant()
        let message = OutboxMessage(
            createdAt: now, complaintID: nil, topic: "test", channel: name, recipient: address,
            subject: "Closeloop 测试消息 / test message",
            body: "这是一条来自 Closeloop 的测试消息，说明通知渠道已经接通。\nThis is a test message from Closeloop: the channel works.")
        try await channel(for: name, await settings.deliverySettings()).deliver(message, secret: secret, at: now)
    }

    func channel(for name: String, _ delivery: DeliverySettings) async throws -> any DeliveryChannel {
        if name == "email" {
            if let smtp = delivery.smtp { return SMTPChannel(settings: smtp, from: delivery.emailFrom) }
            return SendmailChannel(path: delivery.sendmailPath, from: delivery.emailFrom)
        }
        if name == WeChatIntake.channel {
            let (store, settings, links) = (store, settings, links)
            return WeChatChannel(settings: await settings.weChatSettings(), client: client, tokens: weChatTokens) {
                try await Self.weChatNotice(of: $0, store: store, settings: settings, links: links, portal: delivery)
            }
        }
        guard let kind = HTTPChannel.Kind(rawValue: name) else {
            throw DeliveryError(description: "unknown channel \(name)")
        }
        return HTTPChannel(
            kind: kind, client: client, smsGatewayURL: delivery.smsGatewayURL,
            smsGatewayToken: delivery.smsGatewayToken)
    }

    /// The values a WeChat template shows for `message`'s complaint, read when it is sent (the state is the one
    /// the customer would see then).
    static func weChatNotice(
        of message: OutboxMessage, store: SQLStore, settings: LoopSettings, links: CustomerLinks?,
        portal delivery: DeliverySettings
    ) async throws -> WeChatNotice {
        let calendar = await settings.current().calendar
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var values: [WeChatSettings.TemplateValue: String] = [
            .text: message.body, .time: formatter.string(from: message.createdAt),
        ]
        var link: String?
        if let id = message.complaintID, let complaint = try await store.record(id: id)?.complaint {
            let language = CustomerNotices.language(of: complaint.intake.subject + complaint.intake.description)
            values[.number] = complaint.number
            values[.summary] = complaint.intake.subject
            values[.state] = CustomerTimeline.stateText(complaint.state, in: language)
            values[.notice] = CustomerNotices.title(ofTopic: message.topic).text(in: language)
            link = try await links?.url(for: id, portal: delivery.portalURL)
        }
        return WeChatNotice(values: values, link: link)
    }
}
