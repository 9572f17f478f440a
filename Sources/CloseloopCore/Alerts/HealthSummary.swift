import Foundation

/// A day of the system's own health, from every instance's checks (`HealthCheck`): the daily monitoring report's
/// health section.
public struct HealthSummary: Hashable, Sendable {
    public var checks: Int
    public var instances: [String]
    public var intakes: Int
    public var intakeFailures: Int
    public var requests: Int
    /// The slowest check's p99 latency, when and where it was seen.
    public var slowest: Peak?
    /// The most messages the outbox held waiting at a check, and those given up at the day's last check.
    public var outboxPendingPeak: Int
    public var outboxFailed: Int
    /// Each threshold crossed, once per kind, with how many checks crossed it.
    public var anomalies: [Occurrence]
    /// The zone the section's times are shown in (the business calendar's).
    public var timeZone: TimeZone

    public struct Peak: Hashable, Sendable {
        public var milliseconds: Int
        public var at: Date
        public var instance: String
    }

    public struct Occurrence: Hashable, Sendable {
        public var kind: HealthAnomaly.Kind
        public var checks: Int
        public var first: Date
        public var last: Date
        /// The latest check's message, naming its cause.
        public var message: LocalizedText
    }

    /// The summary of `checks` (any order) against `targets`, its times shown in `timeZone`.
    public static func make(checks: [HealthCheck], targets: HealthTargets, timeZone: TimeZone) -> HealthSummary {
        let ordered = checks.sorted { $0.at != $1.at ? $0.at < $1.at : $0.instance < $1.instance }
        var summary = HealthSummary(
            checks: ordered.count, instances: Array(Set(ordered.map(\.instance))).sorted(), intakes: 0,
            intakeFailures: 0, requests: 0, slowest: nil, outboxPendingPeak: 0,
            outboxFailed: ordered.last?.outboxFailed ?? 0, anomalies: [], timeZone: timeZone)
        for check in ordered {
            summary.intakes += check.intakes
            summary.intakeFailures += check.intakeFailures
            summary.requests += check.requests
            if let p99 = check.p99Milliseconds, p99 > (summary.slowest?.milliseconds ?? -1) {
                summary.slowest = Peak(milliseconds: p99, at: check.at, instance: check.instance)
            }
            summary.outboxPendingPeak = max(summary.outboxPendingPeak, check.outboxPending)
            for anomaly in check.anomalies(against: targets) {
                if let index = summary.anomalies.firstIndex(where: { $0.kind == anomaly.kind }) {
                    summary.anomalies[index].checks += 1
                    summary.anomalies[index].last = check.at
                    summary.anomalies[index].message = anomaly.message
                } else {
                    summary.anomalies.append(
                        Occurrence(
                            kind: anomaly.kind, checks: 1, first: check.at, last: check.at, message: anomaly.message))
                }
            }
        }
        return summary
    }

    /// The section's lines.
    public func lines(in language: Language) -> [String] {
        func line(_ zh: String, _ en: String) -> String { LocalizedText(zh: zh, en: en).text(in: language) }
        guard checks > 0 else {
            return [line("未记录系统健康检查（服务器未运行）。", "No health checks were recorded (no server was running).")]
        }
        let time = Date.FormatStyle(date: .omitted, time: .shortened, timeZone: timeZone)
            .locale(Locale(identifier: "en_GB"))
        var lines = [
            line(
                "检查 \(checks) 次，实例 \(instances.count) 个：\(instances.joined(separator: ", "))",
                "\(checks) checks by \(instances.count) instances: \(instances.joined(separator: ", "))"),
            line(
                "受理 \(intakes) 件，失败 \(intakeFailures) 件", "Intakes: \(intakes) taken, \(intakeFailures) failed"),
            line(
                "请求 \(requests) 个"
                    + (slowest.map { "，最慢一次检查的 p99 为 \($0.milliseconds) 毫秒（\($0.at.formatted(time))，\($0.instance)）" }
                        ?? ""),
                "Requests: \(requests)"
                    + (slowest.map {
                        ", slowest check's p99 \($0.milliseconds) ms (\($0.at.formatted(time)), \($0.instance))"
                    } ?? "")),
            line(
                "待发消息最多 \(outboxPendingPeak) 条，已放弃 \(outboxFailed) 条",
                "Outbox: at most \(outboxPendingPeak) waiting, \(outboxFailed) given up"),
        ]
        if anomalies.isEmpty {
            lines.append(line("系统健康无异常。", "No health anomalies."))
        } else {
            for occurrence in anomalies {
                let from = occurrence.first.formatted(time)
                let to = occurrence.last.formatted(time)
                lines.append(
                    "- " + occurrence.message.text(in: language)
                        + line(
                            "（\(occurrence.checks) 次检查，\(from)–\(to)）",
                            " (\(occurrence.checks) checks, \(from)–\(to))"))
            }
        }
        return lines
    }
}
