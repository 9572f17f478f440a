import Foundation

/// Slows guessing: after `maxFailures` failed attempts on one key (a username signing in, a complaint number being
/// tracked) within `window`, further attempts on it are refused until the window has passed.
public actor FailedAttemptLimiter {
    public let maxFailures: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(maxFailures: Int = 5, window: TimeInterval = 300) {
        self.maxFailures = maxFailures
        self.window = window
    }

    public func allow(_ key: String, at now: Date) -> Bool {
        let key = key.lowercased()
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent.count < maxFailures
    }

    public func recordFailure(_ key: String, at now: Date) {
        let key = key.lowercased()
        // Bound memory: start afresh when someone sprays random keys.
        if failures.count > 10_000 { failures.removeAll() }
        failures[key, default: []].append(now)
    }

    public func reset(_ key: String) {
        failures[key.lowercased()] = nil
    }
}
