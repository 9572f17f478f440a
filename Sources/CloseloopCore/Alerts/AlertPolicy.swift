/// When clocks warn and escalate, who hears of it, which breaches cost the department a penalty, and what the
/// monitoring of SPEC §6 watches. Every figure is a default an administrator can change.
public struct AlertPolicy: Hashable, Codable, Sendable {
    /// How far into a clock's span the warning goes out: 0.75 warns when three quarters of the time is used.
    public var warningAt: Double
    /// Who is told at each breach level. The first breach is level 1; each further span past the deadline without
    /// the clock stopping is one level more, up to the last.
    public var escalation: [EscalationLevel]
    /// Severities whose breaches go to the director (the chain's third level) at once, whatever the level.
    public var directorSeverities: Set<Severity>
    /// Clocks whose first breach writes a penalty against the responsible department (the severity's amount).
    public var penaltyClocks: Set<ClockKind>
    /// Clocks that remind the owner before they run out, with the progress-update template filled in.
    public var reminderClocks: Set<ClockKind>
    public var monitoring: MonitoringTargets
    /// When the daily monitoring report for the day before goes out, in the business calendar's zone.
    public var dailyReportAt: LocalTime
    /// When complaints alike arriving together are reported as a possible mass incident.
    public var burst: BurstRule
    /// When the system's own health raises an alert.
    public var health: HealthTargets

    public init(
        warningAt: Double, escalation: [EscalationLevel], directorSeverities: Set<Severity>,
        penaltyClocks: Set<ClockKind>, reminderClocks: Set<ClockKind>, monitoring: MonitoringTargets,
        dailyReportAt: LocalTime = LocalTime(hour: 8, minute: 0), burst: BurstRule = .standard,
        health: HealthTargets = .standard
    ) {
        self.dailyReportAt = dailyReportAt
        self.burst = burst
        self.health = health
        self.warningAt = warningAt
        self.escalation = escalation
        self.directorSeverities = directorSeverities
        self.penaltyClocks = penaltyClocks
        self.reminderClocks = reminderClocks
        self.monitoring = monitoring
    }

    /// SPEC §5–§6: warn at three quarters, tell the owner and the supervisor at a breach, then the department
    /// manager, the director (vice-president) and the general manager; major and crisis breaches reach the director
    /// at once; a late first contact costs the department its penalty.
    public static let standard = AlertPolicy(
        warningAt: 0.75,
        escalation: [
            EscalationLevel(notifyOwner: true, roles: [.supervisor]),
            EscalationLevel(notifyOwner: false, roles: [.departmentManager]),
            EscalationLevel(notifyOwner: false, roles: [.vicePresident]),
            EscalationLevel(notifyOwner: false, roles: [.generalManager]),
        ],
        directorSeverities: [.major, .crisis], penaltyClocks: [.firstContact], reminderClocks: [.customerUpdate],
        monitoring: .standard)

    /// Configuration problems, each a sentence; empty when the policy can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        if !(warningAt > 0 && warningAt < 1) { problems.append("the warning point must be between 0 and 1") }
        if escalation.isEmpty { problems.append("at least one escalation level is needed") }
        problems += monitoring.problems()
        problems += burst.problems()
        problems += health.problems()
        return problems
    }

    private enum CodingKeys: String, CodingKey {
        case warningAt, escalation, directorSeverities, penaltyClocks, reminderClocks, monitoring, dailyReportAt, burst,
            health
    }

    // A policy saved before the daily report's time, the burst rule or the health targets existed has their
    // defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        warningAt = try container.decode(Double.self, forKey: .warningAt)
        escalation = try container.decode([EscalationLevel].self, forKey: .escalation)
        directorSeverities = try container.decode(Set<Severity>.self, forKey: .directorSeverities)
        penaltyClocks = try container.decode(Set<ClockKind>.self, forKey: .penaltyClocks)
        reminderClocks = try container.decode(Set<ClockKind>.self, forKey: .reminderClocks)
        monitoring = try container.decode(MonitoringTargets.self, forKey: .monitoring)
        dailyReportAt =
            try container.decodeIfPresent(LocalTime.self, forKey: .dailyReportAt) ?? LocalTime(hour: 8, minute: 0)
        burst = try container.decodeIfPresent(BurstRule.self, forKey: .burst) ?? .standard
        health = try container.decodeIfPresent(HealthTargets.self, forKey: .health) ?? .standard
    }
}

/// Who hears of a breach at one level: the complaint's owner and/or holders of these roles (for the complaint's
/// department where the role is scoped).
public struct EscalationLevel: Hashable, Codable, Sendable {
    public var notifyOwner: Bool
    public var roles: [Role]

    public init(notifyOwner: Bool, roles: [Role]) {
        self.notifyOwner = notifyOwner
        self.roles = roles
    }
}

/// The thresholds of SPEC §6's monitoring, over a rolling window.
public struct MonitoringTargets: Hashable, Codable, Sendable {
    /// Closed ÷ due at least this (0.95).
    public var closureRate: Double
    /// Satisfaction, as 0–100, at least this (80).
    public var satisfaction: Double
    /// Share of scores 1–2 at most this (0.15).
    public var negativeRate: Double
    /// The rolling window the rates are computed over, in days.
    public var windowDays: Int

    public init(closureRate: Double, satisfaction: Double, negativeRate: Double, windowDays: Int) {
        self.closureRate = closureRate
        self.satisfaction = satisfaction
        self.negativeRate = negativeRate
        self.windowDays = windowDays
    }

    public static let standard = MonitoringTargets(
        closureRate: 0.95, satisfaction: 80, negativeRate: 0.15, windowDays: 7)

    public func problems() -> [String] {
        var problems: [String] = []
        if !(0...1).contains(closureRate) { problems.append("the closure-rate target must be between 0 and 1") }
        if !(0...100).contains(satisfaction) { problems.append("the satisfaction target must be between 0 and 100") }
        if !(0...1).contains(negativeRate) { problems.append("the negative-rate limit must be between 0 and 1") }
        if windowDays < 1 { problems.append("the monitoring window must be at least one day") }
        return problems
    }
}
