import CloseloopCore
import CloseloopStore
import Foundation

/// Reads the complaints mailbox over IMAP: each message is stored and handled by `MailIntake` before it is deleted
/// from the mailbox, so a crash at any point leaves it either in the mailbox (read again, recognised by its
/// Message-ID) or in Closeloop. A message over the size limit is flagged and left for a person.
public struct MailboxPoller: Sendable {
    static let statusKey = "mailbox_status"

    let intake: MailIntake
    let settings: LoopSettings
    let store: SQLStore
    let time: any TimeSource

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        public var taken = 0
        public var refused = 0

        public init(taken: Int = 0, refused: Int = 0) {
            self.taken = taken
            self.refused = refused
        }
    }

    /// One pass over the mailbox when polling is enabled (nil when it is not); the outcome is kept for the status page.
    @discardableResult
    public func poll(limit: Int = 100) async throws -> Pass? {
        let mailbox = await settings.mailboxSettings()
        guard mailbox.enabled else { return nil }
        let started = time.instant()
        do {
            let pass = try await run(mailbox, limit: limit)
            OperationalMetrics.mailboxPoll(failed: false, messages: pass.taken + pass.refused)
            try await record(started: started, pass: pass, error: nil)
            return pass
        } catch {
            OperationalMetrics.mailboxPoll(failed: true, messages: 0)
            try? await record(started: started, pass: Pass(), error: "\(error)")
            throw error
        }
    }

    /// The mailbox as the status page shows it.
    public func status() async throws -> MailboxStatus {
        try await store.setting(Self.statusKey, as: MailboxStatus.self) ?? MailboxStatus()
    }

    private func run(_ mailbox: MailboxSettings, limit: Int) async throws -> Pass {
        let intake = intake
        let source = "imap:\(mailbox.username)@\(mailbox.host)"
        return try await IMAPClient(settings: mailbox).session { session in
            var pass = Pass()
            let uids = Array(try await session.messages().prefix(limit))
            let sizes = try await session.sizes(of: uids)
            for uid in uids {
                if let size = sizes[uid], size > mailbox.maxMessageBytes {
                    try await session.markRefused(uid)
                    pass.refused += 1
                    continue
                }
                guard let bytes = try await session.fetch(uid) else { continue }
                do {
                    try await intake.receive(Data(bytes), source: source)
                } catch is MailRefusal {
                    try await session.markRefused(uid)
                    pass.refused += 1
                    continue
                }
                // Stored in Closeloop: only now may the mailbox forget it.
                try await session.markDeleted(uid)
                pass.taken += 1
            }
            if pass.taken > 0 { try await session.expunge() }
            return pass
        }
    }

    private func record(started: Date, pass: Pass, error: String?) async throws {
        var status = try await status()
        status.lastPollAt = started
        status.taken += pass.taken
        status.refused += pass.refused
        if let error {
            status.failures += 1
            status.consecutiveFailures += 1
            status.lastError = String(error.prefix(500))
            status.lastErrorAt = started
        } else {
            status.consecutiveFailures = 0
            status.lastSuccessAt = started
        }
        try await store.saveSetting(Self.statusKey, status, at: time.instant())
    }
}

/// How the mailbox has been read: when last, how many messages were taken and refused, and the last failure.
public struct MailboxStatus: Hashable, Codable, Sendable {
    public var lastPollAt: Date?
    public var lastSuccessAt: Date?
    public var taken = 0
    public var refused = 0
    public var failures = 0
    public var consecutiveFailures = 0
    public var lastError: String?
    public var lastErrorAt: Date?

    public init() {}
}
