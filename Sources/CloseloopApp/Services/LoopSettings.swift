import CloseloopCore
import CloseloopStore
import Foundation

/// The policy, business calendar, category taxonomy and message templates in force, read from the settings table (defaults until an administrator
/// saves their own) and kept in memory; `reload()` picks up a change.
public actor LoopSettings {
    public static let policyKey = "service_policy"
    public static let calendarKey = "business_calendar"
    public static let taxonomyKey = "category_taxonomy"
    public static let templatesKey = "message_templates"
    public static let alertsKey = "alert_policy"
    public static let deliveryKey = "delivery"
    public static let qualityKey = "quality_checks"
    public static let reportScheduleKey = "report_schedule"
    public static let mailboxKey = "mailbox"
    public static let customerNoticesKey = "customer_notices"
    public static let webhooksKey = "webhooks"
    public static let weChatKey = "wechat"

    private let store: SQLStore
    private let time: any TimeSource
    private let audit: AuditLog
    private var policy: ServicePolicy = .standard
    private var calendar: BusinessCalendar = .chinaMainland
    private var taxonomy: CategoryTaxonomy = .standard
    private var templates: MessageTemplates = .standard
    private var alerts: AlertPolicy = .standard
    private var delivery: DeliverySettings = .standard
    private var quality: QualityChecklist = .standard
    private var reports: ReportSchedule = .none
    private var mailbox: MailboxSettings = .standard
    private var notices: CustomerNoticeSettings = .standard
    private var webhooks: WebhookSettings = .none
    private var weChat: WeChatSettings = .none

    init(store: SQLStore, time: any TimeSource, audit: AuditLog) {
        self.store = store
        self.time = time
        self.audit = audit
    }

    /// Reads the stored policy and calendar, falling back to the defaults.
    public func reload() async throws {
        policy = try await store.setting(Self.policyKey, as: ServicePolicy.self) ?? .standard
        calendar = try await store.setting(Self.calendarKey, as: BusinessCalendar.self) ?? .chinaMainland
        taxonomy = try await store.setting(Self.taxonomyKey, as: CategoryTaxonomy.self) ?? .standard
        templates = try await store.setting(Self.templatesKey, as: MessageTemplates.self) ?? .standard
        alerts = try await store.setting(Self.alertsKey, as: AlertPolicy.self) ?? .standard
        delivery = try await store.setting(Self.deliveryKey, as: DeliverySettings.self) ?? .standard
        quality = try await store.setting(Self.qualityKey, as: QualityChecklist.self) ?? .standard
        reports = try await store.setting(Self.reportScheduleKey, as: ReportSchedule.self) ?? .none
        mailbox = try await store.setting(Self.mailboxKey, as: MailboxSettings.self) ?? .standard
        notices = try await store.setting(Self.customerNoticesKey, as: CustomerNoticeSettings.self) ?? .standard
        webhooks = try await store.setting(Self.webhooksKey, as: WebhookSettings.self) ?? .none
        weChat = try await store.setting(Self.weChatKey, as: WeChatSettings.self) ?? .none
    }

    public func current() -> (policy: ServicePolicy, calendar: BusinessCalendar) { (policy, calendar) }
    public func categories() -> CategoryTaxonomy { taxonomy }
    public func messageTemplates() -> MessageTemplates { templates }
    public func alertPolicy() -> AlertPolicy { alerts }
    public func deliverySettings() -> DeliverySettings { delivery }
    public func qualityChecklist() -> QualityChecklist { quality }
    public func reportSchedule() -> ReportSchedule { reports }
    public func mailboxSettings() -> MailboxSettings { mailbox }
    public func customerNotices() -> CustomerNoticeSettings { notices }
    public func webhookSettings() -> WebhookSettings { webhooks }
    public func weChatSettings() -> WeChatSettings { weChat }

    /// Validates and stores a new policy and audits the change; every problem is reported at once (as for each
    /// document below).
    public func save(_ newPolicy: ServicePolicy, by actor: Operator, section: String, detail: String) async throws {
        policy = try await stored(
            newPolicy, problems: newPolicy.problems(), as: Self.policyKey, by: actor, section: section, detail: detail)
    }

    public func save(_ newCalendar: BusinessCalendar, by actor: Operator, section: String, detail: String) async throws
    {
        let zone = calendar.timeZoneIdentifier
        calendar = try await stored(
            newCalendar, problems: newCalendar.problems(), as: Self.calendarKey, by: actor, section: section,
            detail: detail)
        // The statistics rollup's days were cut in the old zone: every day is summed live until rolled up again.
        if newCalendar.timeZoneIdentifier != zone { try await store.resetRollup(zone: newCalendar.timeZoneIdentifier) }
    }

    public func save(_ newTaxonomy: CategoryTaxonomy, by actor: Operator, section: String, detail: String) async throws
    {
        taxonomy = try await stored(
            newTaxonomy, problems: newTaxonomy.problems(), as: Self.taxonomyKey, by: actor, section: section,
            detail: detail)
    }

    public func save(_ newTemplates: MessageTemplates, by actor: Operator, section: String, detail: String) async throws
    {
        templates = try await stored(
            newTemplates, problems: newTemplates.problems(), as: Self.templatesKey, by: actor, section: section,
            detail: detail)
    }

    public func save(_ newAlerts: AlertPolicy, by actor: Operator, section: String, detail: String) async throws {
        alerts = try await stored(
            newAlerts, problems: newAlerts.problems(), as: Self.alertsKey, by: actor, section: section, detail: detail)
    }

    public func save(_ newChecklist: QualityChecklist, by actor: Operator, section: String, detail: String) async throws
    {
        quality = try await stored(
            newChecklist, problems: newChecklist.problems(), as: Self.qualityKey, by: actor, section: section,
            detail: detail)
    }

    /// Saves the schedule of mailed reports unless `problems` (what the change being made breaks) has any.
    func save(_ newSchedule: ReportSchedule, problems: [String], by actor: Operator, detail: String) async throws {
        reports = try await stored(
            newSchedule, problems: problems, as: Self.reportScheduleKey, by: actor, section: "reports", detail: detail)
    }

    public func save(_ newDelivery: DeliverySettings, by actor: Operator, section: String, detail: String) async throws
    {
        delivery = try await stored(
            newDelivery, problems: newDelivery.problems(), as: Self.deliveryKey, by: actor, section: section,
            detail: detail)
    }

    public func save(_ newMailbox: MailboxSettings, by actor: Operator, section: String, detail: String) async throws {
        mailbox = try await stored(
            newMailbox, problems: newMailbox.problems(), as: Self.mailboxKey, by: actor, section: section,
            detail: detail)
    }

    public func save(_ newNotices: CustomerNoticeSettings, by actor: Operator, section: String, detail: String)
        async throws
    {
        notices = try await stored(
            newNotices, problems: [], as: Self.customerNoticesKey, by: actor, section: section, detail: detail)
    }

    public func save(_ newWebhooks: WebhookSettings, by actor: Operator, section: String, detail: String) async throws {
        webhooks = try await stored(
            newWebhooks, problems: newWebhooks.problems(), as: Self.webhooksKey, by: actor, section: section,
            detail: detail)
    }

    public func save(_ newWeChat: WeChatSettings, by actor: Operator, section: String, detail: String) async throws {
        weChat = try await stored(
            newWeChat, problems: newWeChat.problems(), as: Self.weChatKey, by: actor, section: section, detail: detail)
    }

    /// Stores a document that has no problems, records the change in the audit log as `settings.<section>` with
    /// `detail`, and returns it; otherwise throws every problem.
    private func stored<Document: Encodable & Sendable>(
        _ document: Document, problems: [String], as key: String, by actor: Operator, section: String,
        detail: String
    ) async throws -> Document {
        try actor.require(anyOf: [.administrator])
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(key, document, at: time.instant())
        try await audit.record("settings.\(section)", subject: section, detail: detail, by: actor)
        return document
    }
}

/// A configuration document that cannot be used, with every reason.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "; ") }
}
