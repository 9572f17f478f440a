import CloseloopCore
import CloseloopStore
import Foundation
import Logging

/// Everything a request or a command needs, built once from the configuration and shared.
public struct AppServices: Sendable {
    /// Request size limits in bytes.
    public struct Limits: Sendable {
        public var json = 1 << 20
        public var upload = 20 << 20
        public init() {}
    }

    public let store: SQLStore
    public let settings: LoopSettings
    public let complaints: ComplaintService
    public let tokens: TokenService
    public let passwords: Passwords
    public let attachments: AttachmentService
    public let signInLimiter: FailedAttemptLimiter
    /// Failed tracking attempts (wrong phone for a number), so phones cannot be guessed number by number.
    public let trackingLimiter: FailedAttemptLimiter
    public let time: any TimeSource
    public let limits: Limits

    public init(
        database: any Database, dataDirectory: URL, time: any TimeSource = SystemTimeSource(),
        passwords: Passwords = Passwords(), limits: Limits = Limits()
    ) {
        let store = SQLStore(database: database)
        self.store = store
        self.time = time
        self.passwords = passwords
        self.limits = limits
        settings = LoopSettings(store: store)
        complaints = ComplaintService(store: store, settings: settings, time: time)
        tokens = TokenService(store: store, passwords: passwords, time: time)
        attachments = AttachmentService(
            store: store, storage: DiskAttachmentStorage(root: dataDirectory.appendingPathComponent("attachments")),
            time: time)
        signInLimiter = FailedAttemptLimiter()
        trackingLimiter = FailedAttemptLimiter(maxFailures: 10, window: 900)
    }

    /// Records an administrative change (users, departments, settings) in the audit log, whoever made it: a
    /// username from the web pages, `cli:<login>` from the command-line tool.
    public func audit(_ action: String, subject: String, detail: String, by actor: String) async throws {
        try await store.recordAudit(
            AuditEntry(at: time.instant(), actor: actor, action: action, subject: subject, detail: detail))
    }

    /// A dispatcher for the outbox on these services (the server runs one as a background service).
    public func dispatcher() -> OutboxDispatcher {
        OutboxDispatcher(store: store, settings: settings, time: time)
    }

    /// The audit actor name for changes made with the command-line tool on this machine.
    public static var commandLineActor: String {
        "cli:"
            + (ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
                ?? "unknown")
    }

    /// Migrates the schema and loads the settings in force; call before serving.
    public func prepare(logger: Logger = Logger(label: "closeloop.prepare")) async throws {
        try await store.migrate()
        // Complaints from before the two-character search index get theirs once (a no-op afterwards).
        let filled = try await store.fillMissingBigrams { count in
            if count % 50_000 == 0 {
                logger.info("indexing two-character search terms", metadata: ["done": "\(count)"])
            }
        }
        if filled > 0 { logger.info("indexed two-character search terms", metadata: ["complaints": "\(filled)"]) }
        try await settings.reload()
    }
}
