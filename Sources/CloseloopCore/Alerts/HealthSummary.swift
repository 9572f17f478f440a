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

    /// The section's lines: the figures, then each anomaly as "- …".
    public func lines(in language: Language) -> [String] {
        guard checks > 0 else { return [Self.noChecks.text(in: language)] }
        let found = anomalyLines(in: language).map { "- " + $0 }
        return figures(in: language)
            + (found.isEmpty ? [LocalizedText(zh: "系统健康无异常。", en: "No health anomalies.").text(in: language)] : found)
    }

    /// Said of a day without checks: no server ran to make them, which is not the same as all being well.
    public static let noChecks = LocalizedText(
        zh: "未记录系统健康检查（服务器未运行）。", en: "No health checks were recorded (no server was running).")

    /// The day's figures, one a line.
    public func figures(in language: Language) -> [String] {
        func line(_ zh: String, _ en: String) -> String { LocalizedText(zh: zh, en: en).text(in: language) }
        return [
            line(
                "检查 \(checks) 次，实例 \(instances.count) 个：\(instances.joined(separator: ", "))",
                "\(checks) checks by \(instances.count) instances: \(instances.joined(separator: ", "))"),
            line(
                "受理 \(intakes) 件，失败 \(intakeFailures) 件", "Intakes: \(intakes) taken, \(intakeFailures) failed"),
            line(
                "请求 \(requests) 个"
                    + (slowest.map { "，最慢一次检查的 p99 为 \($0.milliseconds) 毫秒（\(clock($0.at))，\($0.instance)）" } ?? ""),
                "Requests: \(requests)"
                    + (slowest.map {
                        ", slowest check's p99 \($0.milliseconds) ms (\(clock($0.at)), \($0.instance))"
                    } ?? "")),
            line(
                "待发消息最多 \(outboxPendingPeak) 条，已放弃 \(outboxFailed) 条",
                "Outbox: at most \(outboxPendingPeak) waiting, \(outboxFailed) given up"),
        ]
    }

    /// Each anomaly with how many checks crossed it and between which times.
    public func anomalyLines(in language: Language) -> [String] {
        anomalies.map { occurrence in
            occurrence.message.text(in: language)
                + LocalizedText(
                    zh: "（\(occurrence.checks) 次检查，\(clock(occurrence.first))–\(clock(occurrence.last))）",
                    en: " (\(occurrence.checks) checks, \(clock(occurrence.first))–\(clock(occurrence.last)))"
                ).text(in: language)
        }
    }

    /// An instant as a 24-hour time of day in the section's zone.
    private func clock(_ instant: Date) -> String {
        instant.formatted(
            Date.FormatStyle(date: .omitted, time: .shortened, timeZone: timeZone).locale(Locale(identifier: "en_GB")))
    }
}
