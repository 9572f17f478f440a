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

    private let store: SQLStore
    private var policy: ServicePolicy = .standard
    private var calendar: BusinessCalendar = .chinaMainland
    private var taxonomy: CategoryTaxonomy = .standard
    private var templates: MessageTemplates = .standard
    private var alerts: AlertPolicy = .standard
    private var delivery: DeliverySettings = .standard

    public init(store: SQLStore) { self.store = store }

    /// Reads the stored policy and calendar, falling back to the defaults.
    public func reload() async throws {
        policy = try await store.setting(Self.policyKey, as: ServicePolicy.self) ?? .standard
        calendar = try await store.setting(Self.calendarKey, as: BusinessCalendar.self) ?? .chinaMainland
        taxonomy = try await store.setting(Self.taxonomyKey, as: CategoryTaxonomy.self) ?? .standard
        templates = try await store.setting(Self.templatesKey, as: MessageTemplates.self) ?? .standard
        alerts = try await store.setting(Self.alertsKey, as: AlertPolicy.self) ?? .standard
        delivery = try await store.setting(Self.deliveryKey, as: DeliverySettings.self) ?? .standard
    }

    public func deliverySettings() -> DeliverySettings { delivery }

    /// Stores how notifications are delivered.
    public func save(_ newDelivery: DeliverySettings, at instant: Date) async throws {
        var problems: [String] = []
        if newDelivery.maxAttempts < 1 { problems.append("at least one delivery attempt is needed") }
        if newDelivery.retryBaseSeconds <= 0 { problems.append("the retry wait must be positive") }
        if !newDelivery.emailFrom.contains("@") { problems.append("the sender must be an email address") }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(Self.deliveryKey, newDelivery, at: instant)
        delivery = newDelivery
    }

    public func alertPolicy() -> AlertPolicy { alerts }

    /// Validates and stores a new alert policy.
    public func save(_ newAlerts: AlertPolicy, at instant: Date) async throws {
        let problems = newAlerts.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(Self.alertsKey, newAlerts, at: instant)
        alerts = newAlerts
    }

    public func categories() -> CategoryTaxonomy { taxonomy }

    public func messageTemplates() -> MessageTemplates { templates }

    /// Validates and stores a new category taxonomy.
    public func save(_ newTaxonomy: CategoryTaxonomy, at instant: Date) async throws {
        let problems = newTaxonomy.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(Self.taxonomyKey, newTaxonomy, at: instant)
        taxonomy = newTaxonomy
    }

    /// Validates and stores new message templates.
    public func save(_ newTemplates: MessageTemplates, at instant: Date) async throws {
        let problems = newTemplates.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(Self.templatesKey, newTemplates, at: instant)
        templates = newTemplates
    }

    public func current() -> (policy: ServicePolicy, calendar: BusinessCalendar) { (policy, calendar) }

    /// Validates and stores a new policy; every problem is reported at once.
    public func save(_ newPolicy: ServicePolicy, at instant: Date) async throws {
        let problems = newPolicy.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(Self.policyKey, newPolicy, at: instant)
        policy = newPolicy
    }

    /// Validates and stores a new business calendar.
    public func save(_ newCalendar: BusinessCalendar, at instant: Date) async throws {
        let problems = newCalendar.problems()
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        try await store.saveSetting(Self.calendarKey, newCalendar, at: instant)
        calendar = newCalendar
    }
}

/// A configuration document that cannot be used, with every reason.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}
