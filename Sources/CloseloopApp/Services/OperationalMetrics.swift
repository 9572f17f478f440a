import CloseloopCore
import Foundation
import Metrics

/// What the server counts about its own work, through swift-metrics (the server exports it at `/metrics` in
/// Prometheus's format): intake by channel and outcome, each background pass's duration, last run and failures, and
/// the outbox's deliveries and backlog. SPEC §6 asks for the system's own health to be watched like the complaints.
///
/// Wall-clock time is read here, not the injected clock: these figures describe the process, not a complaint.
public enum OperationalMetrics {
    /// How one intake ended.
    public enum IntakeOutcome: String, Sendable {
        /// Stored with a new number.
        case created
        /// An idempotent retry answered with the complaint stored before.
        case replayed
        /// Refused as invalid (the caller's to fix).
        case refused
        /// Failed on the server's side (a database error): what an alert on intake watches.
        case failed
    }

    static func intake(channel: Channel, outcome: IntakeOutcome) {
        Counter(
            label: "closeloop_intakes_total",
            dimensions: [("channel", channel.rawValue), ("outcome", outcome.rawValue)]
        ).increment()
    }

    /// Runs one pass of background work named `name`, recording how long it took, when it last ended and whether it
    /// failed.
    @discardableResult
    public static func pass<Result>(_ name: String, _ body: () async throws -> Result) async throws -> Result {
        let started = ContinuousClock.now
        do {
            let result = try await body()
            passEnded(name, after: ContinuousClock.now - started, failed: false)
            return result
        } catch {
            passEnded(name, after: ContinuousClock.now - started, failed: true)
            throw error
        }
    }

    private static func passEnded(_ name: String, after duration: Duration, failed: Bool) {
        let dimensions = [("pass", name)]
        Timer(label: "closeloop_background_pass_duration_seconds", dimensions: dimensions).record(duration: duration)
        Gauge(label: "closeloop_background_pass_last_run_timestamp_seconds", dimensions: dimensions).record(
            Date().timeIntervalSince1970)
        if failed { Counter(label: "closeloop_background_pass_failures_total", dimensions: dimensions).increment() }
    }

    static func outboxAttempts(sent: Int, failed: Int) {
        if sent > 0 { Counter(label: "closeloop_outbox_sent_total").increment(by: sent) }
        if failed > 0 { Counter(label: "closeloop_outbox_failed_attempts_total").increment(by: failed) }
    }

    static func outboxBacklog(pending: Int, failed: Int) {
        Gauge(label: "closeloop_outbox_pending").record(pending)
        Gauge(label: "closeloop_outbox_failed").record(failed)
    }

    static func mailboxPoll(failed: Bool, messages: Int) {
        Counter(label: "closeloop_mailbox_polls_total", dimensions: [("outcome", failed ? "failed" : "ok")])
            .increment()
        if messages > 0 { Counter(label: "closeloop_mailbox_messages_total").increment(by: messages) }
    }
}
