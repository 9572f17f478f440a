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

    /// The store, for tools that seed or measure it directly (the benchmarks, tests); the API, the pages and the
    /// CLI reach it only through the services below, so every rule is held once.
    @_spi(Tools) public let store: SQLStore
    /// Where attachment and raw-message bytes are kept, for the same tools.
    @_spi(Tools) public let storage: any AttachmentStorage
    public let settings: LoopSettings
    public let complaints: ComplaintService
    public let cases: CaseLibrary
    public let quality: QualityChecks
    public let improvements: ImprovementActions
    public let staff: StaffDirectory
    public let audit: AuditLog
    public let signIn: SignInService
    public let tokens: TokenService
    public let sessions: WebSessionService
    public let passwords: Passwords
    public let attachments: AttachmentService
    public let notificationTargets: NotificationTargetService
    public let outbox: OutboxService
    public let savedFilters: SavedFilterService
    public let reports: ReportService
    public let scheduledReports: ScheduledReports
    public let rollup: StatisticsRollup
    public let monitoring: MonitoringService
    /// What this instance saw of its own work since its last health check.
    public let health: HealthRecorder
    public let tracking: CustomerTracking
    public let links: CustomerLinks
    public let mail: MailIntake
    public let mailbox: MailboxPoller
    public let webhooks: WebhookIntake
    public let weChat: WeChatIntake
    public let received: ReceivedMessages
    public let suggestions: ClassificationSuggestions
    public let similar: SimilarComplaints
    public let bursts: BurstWatcher
    public let incidents: IncidentService
    public let lookup: ComplaintLookup
    public let bulkAssignment: BulkAssignment
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
        let audit = AuditLog(store: store, time: time)
        let settings = LoopSettings(store: store, time: time, audit: audit)
        self.settings = settings
        self.audit = audit
        let links = CustomerLinks(store: store, time: time)
        self.links = links
        let suggestions = ClassificationSuggestions(store: store, time: time, audit: audit)
        self.suggestions = suggestions
        let similar = SimilarComplaints(store: store, suggestions: suggestions, time: time)
        self.similar = similar
        bursts = BurstWatcher(store: store, settings: settings, similar: similar, time: time)
        let health = HealthRecorder(time: time)
        self.health = health
        var complaints = ComplaintService(store: store, settings: settings, time: time, links: links)
        complaints.suggestions = suggestions
        complaints.health = health
        self.complaints = complaints
        lookup = ComplaintLookup(store: store, complaints: complaints)
        bulkAssignment = BulkAssignment(complaints: complaints, store: store)
        incidents = IncidentService(
            store: store, settings: settings, time: time, audit: audit, complaints: complaints)
        cases = CaseLibrary(store: store, time: time, audit: audit)
        quality = QualityChecks(store: store, settings: settings, time: time, audit: audit)
        improvements = ImprovementActions(store: store, settings: settings, time: time, audit: audit)
        staff = StaffDirectory(store: store, passwords: passwords, time: time, audit: audit)
        signIn = SignInService(
            store: store, passwords: passwords, limiter: FailedAttemptLimiter(store: store, scope: "sign_in"),
            time: time)
        tokens = TokenService(store: store, time: time, audit: audit)
        sessions = WebSessionService(store: store, time: time)
        let storage = DiskAttachmentStorage(root: dataDirectory.appendingPathComponent("attachments"))
        self.storage = storage
        let attachments = AttachmentService(store: store, storage: storage, time: time)
        self.attachments = attachments
        notificationTargets = NotificationTargetService(store: store, audit: audit)
        outbox = OutboxService(store: store, settings: settings, time: time, audit: audit, complaints: complaints)
        savedFilters = SavedFilterService(store: store, time: time)
        let reports = ReportService(store: store, settings: settings)
        self.reports = reports
        scheduledReports = ScheduledReports(store: store, settings: settings, reports: reports, time: time)
        rollup = StatisticsRollup(store: store, settings: settings, time: time)
        monitoring = MonitoringService(store: store, settings: settings, time: time, health: health)
        tracking = CustomerTracking(
            store: store, limiter: FailedAttemptLimiter(store: store, scope: "tracking", maxFailures: 10, window: 900),
            time: time)
        let mail = MailIntake(
            store: store, storage: storage, complaints: complaints, attachments: attachments, settings: settings,
            time: time, audit: audit)
        self.mail = mail
        mailbox = MailboxPoller(intake: mail, settings: settings, store: store, time: time)
        webhooks = WebhookIntake(
            store: store, storage: storage, complaints: complaints, settings: settings, time: time)
        weChat = WeChatIntake(store: store, storage: storage, complaints: complaints, settings: settings, time: time)
        received = ReceivedMessages(store: store)
    }

    /// Whether reports, dashboards, exports and searches are read from a replica (`serve --read-database`).
    public var readsFromReplica: Bool { store.database is ReplicatedDatabase }

    /// The database answers, and which one it is (for the health check).
    public func health() async throws -> SQLDialectKind {
        try await store.ping()
        return store.database.dialect
    }

    /// Recomputes every complaint's hash chain (`closeloop verify-history`).
    public func verifyHistory() async throws -> HistoryVerification { try await store.verifyHistory() }

    /// A CSV export of the complaints a query selects (`closeloop export`).
    public func export() -> ComplaintExport { ComplaintExport(store: store) }

    /// Closes the database's connections.
    public func shutdown() async { await store.database.shutdown() }

    /// Runs `body` and always closes the database afterwards.
    public func using<T>(_ body: (AppServices) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
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
