import CloseloopCore
import Foundation
import Synchronization

/// What this server instance saw of its own work since its last health check: intakes and their failures, request
/// latencies, and when the deadline watcher and the outbox dispatcher last finished a pass. The monitoring service
/// takes it every round (`MonitoringService.checkHealth`), stores it and raises alerts from it (SPEC §6's last line).
/// `/metrics` exports the same events for an outside watcher; this is the product watching itself.
public final class HealthRecorder: Sendable {
    /// The instance's name in checks and alerts.
    public let instance: String
    let time: any TimeSource
    private let state: Mutex<State>

    private struct State {
        var since: Date
        var intakes = 0
        var intakeFailures = 0
        var latencies = LatencyHistogram()
        var passes: [HealthCheck.Pass.Kind: HealthCheck.Pass] = [:]
    }

    public init(time: any TimeSource, instance: String = HealthRecorder.processInstance) {
        self.time = time
        self.instance = instance
        state = Mutex(State(since: time.instant()))
    }

    /// This process as `host:pid`: several instances may share a host.
    public static var processInstance: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// An intake ended; `failed` when the server could not store it (not when the caller's input was refused).
    func intake(failed: Bool) {
        state.withLock { failed ? ($0.intakeFailures += 1) : ($0.intakes += 1) }
    }

    /// A request was answered after `duration`.
    public func request(took duration: Duration) {
        state.withLock { $0.latencies.record(duration) }
    }

    /// A watched pass's loop started: from now on it is expected to finish a pass every few seconds to a minute.
    public func watch(_ kind: HealthCheck.Pass.Kind) {
        let now = time.instant()
        state.withLock { $0.passes[kind] = HealthCheck.Pass(kind: kind, watchedSince: now, lastRun: nil) }
    }

    /// A watched pass finished without error. A pass that fails every time (its database gone) leaves the
    /// watched work undone as surely as one that never ends, so both show as stalled.
    public func finished(_ kind: HealthCheck.Pass.Kind) {
        let now = time.instant()
        state.withLock { state in
            state.passes[kind, default: HealthCheck.Pass(kind: kind, watchedSince: now, lastRun: nil)].lastRun = now
        }
    }

    /// The check of everything seen since the last one, with the outbox's state read from the database; starts the
    /// next span.
    func take(outboxPending: Int, outboxFailed: Int) -> HealthCheck {
        let now = time.instant()
        return state.withLock { state in
            let check = HealthCheck(
                instance: instance, at: now, since: state.since, intakes: state.intakes,
                intakeFailures: state.intakeFailures, requests: state.latencies.count,
                p99Milliseconds: state.latencies.percentile(0.99),
                passes: state.passes.values.sorted { $0.kind.rawValue < $1.kind.rawValue },
                outboxPending: outboxPending, outboxFailed: outboxFailed)
            state.since = now
            state.intakes = 0
            state.intakeFailures = 0
            state.latencies = LatencyHistogram()
            return check
        }
    }
}

/// Request latencies in buckets 10 % apart, from 1 ms to 10 minutes: a percentile to within 10 % in fixed memory,
/// however many requests an instance answers between two checks.
struct LatencyHistogram {
    private static let ratio = 1.1
    private static let buckets = Int((log(600_000.0) / log(ratio)).rounded(.up)) + 1
    private var counts = [Int](repeating: 0, count: LatencyHistogram.buckets)
    private(set) var count = 0

    mutating func record(_ duration: Duration) {
        let milliseconds =
            Double(duration.components.seconds) * 1000
            + Double(duration.components.attoseconds) / 1e15
        let index = milliseconds <= 1 ? 0 : Int((log(milliseconds) / log(Self.ratio)).rounded(.up))
        counts[min(index, Self.buckets - 1)] += 1
        count += 1
    }

    /// The upper bound, in whole milliseconds, of the bucket holding the `fraction` quantile; nil when empty.
    func percentile(_ fraction: Double) -> Int? {
        guard count > 0 else { return nil }
        let rank = Int((Double(count) * fraction).rounded(.up))
        var seen = 0
        for (index, bucket) in counts.enumerated() {
            seen += bucket
            if seen >= rank { return Int(pow(Self.ratio, Double(index)).rounded(.up)) }
        }
        return Int(pow(Self.ratio, Double(Self.buckets - 1)).rounded(.up))
    }
}
