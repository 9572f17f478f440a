import Foundation

/// Slows password guessing: after `maxFailures` failed sign-ins for one username within `window`, further
/// attempts are refused until the window has passed.
public actor SignInLimiter {
    public let maxFailures: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(maxFailures: Int = 5, window: TimeInterval = 300) {
        self.maxFailures = maxFailures
        self.window = window
    }

    public func allow(_ username: String, at now: Date) -> Bool {
        let key = username.lowercased()
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent.count < maxFailures
    }

    public func recordFailure(_ username: String, at now: Date) {
        let key = username.lowercased()
        // Bound memory: forget the oldest usernames when someone sprays random names.
        if failures.count > 10_000 { failures.removeAll() }
        failures[key, default: []].append(now)
    }

    public func reset(_ username: String) {
        failures[username.lowercased()] = nil
    }
}
