import CloseloopCore
import CloseloopStore
import Foundation

/// The policy and business calendar in force, read from the settings table (defaults until an administrator
/// saves their own) and kept in memory; `reload()` picks up a change.
public actor LoopSettings {
    public static let policyKey = "service_policy"
    public static let calendarKey = "business_calendar"

    private let store: SQLStore
    private var policy: ServicePolicy = .standard
    private var calendar: BusinessCalendar = .chinaMainland

    public init(store: SQLStore) { self.store = store }

    /// Reads the stored policy and calendar, falling back to the defaults.
    public func reload() async throws {
        policy = try await store.setting(Self.policyKey, as: ServicePolicy.self) ?? .standard
        calendar = try await store.setting(Self.calendarKey, as: BusinessCalendar.self) ?? .chinaMainland
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
