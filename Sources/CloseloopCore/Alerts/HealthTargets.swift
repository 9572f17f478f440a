/// The thresholds of the system's own health (SPEC §6's last line: intake failing, slow pages, a stuck scheduler),
/// checked by every server instance over what it saw since its last check.
public struct HealthTargets: Hashable, Codable, Sendable {
    /// Intakes failing on the server's side (a database error, not a refused form) within one check that raise an
    /// alert: one, since a customer's complaint was not taken.
    public var intakeFailures: Int
    /// The 99th percentile of request latency within one check, in milliseconds, above which pages are slow.
    public var slowPageMilliseconds: Int
    /// Minutes without a finished pass after which the deadline watcher or the outbox dispatcher counts as stuck.
    public var staleMinutes: Int
    /// Messages waiting in the outbox (not yet sent, not given up) above which delivery is falling behind.
    public var outboxBacklog: Int

    public init(intakeFailures: Int, slowPageMilliseconds: Int, staleMinutes: Int, outboxBacklog: Int) {
        self.intakeFailures = intakeFailures
        self.slowPageMilliseconds = slowPageMilliseconds
        self.staleMinutes = staleMinutes
        self.outboxBacklog = outboxBacklog
    }

    /// One failed intake; p99 over two seconds; ten minutes without a watcher or dispatcher pass (each runs every
    /// few seconds to a minute); more than 500 messages waiting.
    public static let standard = HealthTargets(
        intakeFailures: 1, slowPageMilliseconds: 2_000, staleMinutes: 10, outboxBacklog: 500)

    public func problems() -> [String] {
        var problems: [String] = []
        if !(1...10_000).contains(intakeFailures) {
            problems.append("the failed intakes that raise an alert must be 1 to 10,000")
        }
        if !(50...600_000).contains(slowPageMilliseconds) {
            problems.append("the slow-page limit must be 50 ms to 10 minutes")
        }
        if !(2...1_440).contains(staleMinutes) {
            problems.append("a stuck watcher or dispatcher is noticed after 2 minutes to a day")
        }
        if !(1...10_000_000).contains(outboxBacklog) { problems.append("the outbox backlog limit must be at least 1") }
        return problems
    }
}
