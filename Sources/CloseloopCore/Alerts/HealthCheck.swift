import Foundation

/// What one server instance saw of its own work between two checks (SPEC §6's last line), and the thresholds it
/// crossed. Instances check themselves, so two instances give two checks a round; the daily report reads them all.
public struct HealthCheck: Hashable, Codable, Sendable {
    /// The instance, as `host:pid`.
    public var instance: String
    /// The end of the span the check covers, and its start (the previous check, or the process's start).
    public var at: Date
    public var since: Date
    /// Intakes the instance took in the span, and those that failed on the server's side.
    public var intakes: Int
    public var intakeFailures: Int
    /// Requests the instance answered in the span, and the 99th percentile of their latency (nil without requests).
    public var requests: Int
    public var p99Milliseconds: Int?
    /// The background passes the instance runs and watches, each with its last finished pass (nil before the first).
    public var passes: [Pass]
    /// The outbox, as the database holds it at the check: messages waiting and messages given up.
    public var outboxPending: Int
    public var outboxFailed: Int

    /// A background pass that is expected to run every few seconds to a minute.
    public struct Pass: Hashable, Codable, Sendable {
        public enum Kind: String, Hashable, Codable, Sendable, CaseIterable {
            case deadlineWatcher = "deadline_watcher"
            case outboxDispatcher = "outbox_dispatcher"
        }

        public var kind: Kind
        /// When the instance started the pass's loop, and when a pass last finished.
        public var watchedSince: Date
        public var lastRun: Date?

        public init(kind: Kind, watchedSince: Date, lastRun: Date?) {
            self.kind = kind
            self.watchedSince = watchedSince
            self.lastRun = lastRun
        }

        /// How long, at `now`, since the pass last finished (or since it was started, before its first pass).
        public func idle(at now: Date) -> TimeInterval { now.timeIntervalSince(lastRun ?? watchedSince) }
    }

    public init(
        instance: String, at: Date, since: Date, intakes: Int, intakeFailures: Int, requests: Int,
        p99Milliseconds: Int?, passes: [Pass], outboxPending: Int, outboxFailed: Int
    ) {
        self.instance = instance
        self.at = at
        self.since = since
        self.intakes = intakes
        self.intakeFailures = intakeFailures
        self.requests = requests
        self.p99Milliseconds = p99Milliseconds
        self.passes = passes
        self.outboxPending = outboxPending
        self.outboxFailed = outboxFailed
    }

    /// The thresholds this check crossed, each naming its cause and the instance.
    public func anomalies(against targets: HealthTargets) -> [HealthAnomaly] {
        var found: [HealthAnomaly] = []
        let minutes = max(1, Int((at.timeIntervalSince(since) / 60).rounded()))
        if intakeFailures >= targets.intakeFailures {
            found.append(
                HealthAnomaly(
                    kind: .intakeFailing,
                    message: LocalizedText(
                        zh:
                            "受理失败：实例 \(instance) 近 \(minutes) 分钟 \(intakeFailures) 件投诉未能受理（共 \(intakes + intakeFailures) 次）",
                        en:
                            "Intake failing: instance \(instance) failed to take \(intakeFailures) of \(intakes + intakeFailures) complaints in the last \(minutes) minutes"
                    )))
        }
        if let p99 = p99Milliseconds, p99 > targets.slowPageMilliseconds {
            found.append(
                HealthAnomaly(
                    kind: .slowPages,
                    message: LocalizedText(
                        zh:
                            "页面缓慢：实例 \(instance) 近 \(minutes) 分钟 \(requests) 个请求的 p99 为 \(p99) 毫秒，超过 \(targets.slowPageMilliseconds) 毫秒",
                        en:
                            "Slow pages: instance \(instance) answered \(requests) requests in the last \(minutes) minutes with a p99 of \(p99) ms, above \(targets.slowPageMilliseconds) ms"
                    )))
        }
        for pass in passes {
            let idle = pass.idle(at: at)
            guard idle >= Double(targets.staleMinutes * 60) else { continue }
            let idleMinutes = Int(idle / 60)
            let never = pass.lastRun == nil
            found.append(
                HealthAnomaly(
                    kind: pass.kind == .deadlineWatcher ? .watcherStalled : .dispatcherStalled,
                    message: LocalizedText(
                        zh: "\(pass.kind.zhName)停滞：实例 \(instance) "
                            + (never ? "启动 \(idleMinutes) 分钟仍未完成一轮" : "已 \(idleMinutes) 分钟未完成一轮"),
                        en: "\(pass.kind.enName) stalled: instance \(instance) "
                            + (never
                                ? "has not finished a pass in the \(idleMinutes) minutes since it started"
                                : "has not finished a pass for \(idleMinutes) minutes"))))
        }
        if outboxPending > targets.outboxBacklog {
            found.append(
                HealthAnomaly(
                    kind: .outboxBacklog,
                    message: LocalizedText(
                        zh: "待发消息积压：\(outboxPending) 条等待发送，超过 \(targets.outboxBacklog) 条（已放弃 \(outboxFailed) 条）",
                        en:
                            "Outbox backlog: \(outboxPending) messages waiting, more than \(targets.outboxBacklog) (\(outboxFailed) given up)"
                    )))
        }
        return found
    }
}

extension HealthCheck.Pass.Kind {
    var zhName: String {
        switch self {
        case .deadlineWatcher: "时限监控"
        case .outboxDispatcher: "消息发送"
        }
    }

    var enName: String {
        switch self {
        case .deadlineWatcher: "Deadline watcher"
        case .outboxDispatcher: "Outbox dispatcher"
        }
    }
}

/// One health threshold crossed.
public struct HealthAnomaly: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case intakeFailing = "intake_failing"
        case slowPages = "slow_pages"
        case watcherStalled = "watcher_stalled"
        case dispatcherStalled = "dispatcher_stalled"
        case outboxBacklog = "outbox_backlog"
    }

    public var kind: Kind
    public var message: LocalizedText

    public init(kind: Kind, message: LocalizedText) {
        self.kind = kind
        self.message = message
    }
}
