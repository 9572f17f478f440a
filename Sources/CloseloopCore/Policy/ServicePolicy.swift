/// Targets that depend on a complaint's priority (SPEC §3).
public struct PriorityTargets: Hashable, Codable, Sendable {
    public var firstResponse: TimeLimit
    public var resolution: TimeLimit
    public var customerUpdate: TimeLimit

    public init(firstResponse: TimeLimit, resolution: TimeLimit, customerUpdate: TimeLimit) {
        self.firstResponse = firstResponse
        self.resolution = resolution
        self.customerUpdate = customerUpdate
    }
}

/// Targets that depend on a complaint's severity (SPEC §3's table).
public struct SeverityTargets: Hashable, Codable, Sendable {
    public var firstContact: TimeLimit
    public var secondContact: TimeLimit
    /// How many contact attempts before a delay request is expected; nil means case by case.
    public var maxContacts: Int?
    /// The penalty against the responsible department when a named clock is late.
    public var penalty: Money
    /// How soon management must hear of it; nil when it need not be reported.
    public var reportToManagement: TimeLimit?

    public init(
        firstContact: TimeLimit, secondContact: TimeLimit, maxContacts: Int?, penalty: Money,
        reportToManagement: TimeLimit?
    ) {
        self.firstContact = firstContact
        self.secondContact = secondContact
        self.maxContacts = maxContacts
        self.penalty = penalty
        self.reportToManagement = reportToManagement
    }
}

/// Every number of the loop an administrator can change: targets, windows, authority and numbering.
public struct ServicePolicy: Hashable, Codable, Sendable {
    public var priorities: [Priority: PriorityTargets]
    public var severities: [Severity: SeverityTargets]
    /// Clocks whose target does not depend on priority or severity.
    public var fixedLimits: [ClockKind: TimeLimit]
    /// Complaints of these priorities run on calendar time (P0 by default) …
    public var calendarTimePriorities: Set<Priority>
    /// … and so do complaints of these severities (crisis by default); the rest run on working time.
    public var calendarTimeSeverities: Set<Severity>
    /// How long after closing the customer may have a complaint reopened.
    public var reopenWindowDays: Int
    /// How far back a complaint from the same customer counts as a repeat.
    public var repeatWindowDays: Int
    public var authority: AuthorityMatrix
    public var numbering: ComplaintNumbering
    /// The furthest ahead a delay request may pause the clocks.
    public var maxDelayDays: Int
    /// How far back a complaint entered live (agent, portal, API) may say it was received: a letter opened late.
    public var intakeBackdateDays: Int
    /// How far back an imported complaint (archives from an earlier system) may say it was received.
    public var importBackdateYears: Int

    public init(
        priorities: [Priority: PriorityTargets], severities: [Severity: SeverityTargets],
        fixedLimits: [ClockKind: TimeLimit], calendarTimePriorities: Set<Priority>,
        calendarTimeSeverities: Set<Severity>, reopenWindowDays: Int, repeatWindowDays: Int,
        authority: AuthorityMatrix, numbering: ComplaintNumbering, maxDelayDays: Int = 30,
        intakeBackdateDays: Int = 90, importBackdateYears: Int = 20
    ) {
        self.priorities = priorities
        self.severities = severities
        self.fixedLimits = fixedLimits
        self.calendarTimePriorities = calendarTimePriorities
        self.calendarTimeSeverities = calendarTimeSeverities
        self.reopenWindowDays = reopenWindowDays
        self.repeatWindowDays = repeatWindowDays
        self.authority = authority
        self.numbering = numbering
        self.maxDelayDays = maxDelayDays
        self.intakeBackdateDays = intakeBackdateDays
        self.importBackdateYears = importBackdateYears
    }

    /// Reads a stored policy; documents saved before a field existed get that field's default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        priorities = try container.decode([Priority: PriorityTargets].self, forKey: .priorities)
        severities = try container.decode([Severity: SeverityTargets].self, forKey: .severities)
        fixedLimits = try container.decode([ClockKind: TimeLimit].self, forKey: .fixedLimits)
        calendarTimePriorities = try container.decode(Set<Priority>.self, forKey: .calendarTimePriorities)
        calendarTimeSeverities = try container.decode(Set<Severity>.self, forKey: .calendarTimeSeverities)
        reopenWindowDays = try container.decode(Int.self, forKey: .reopenWindowDays)
        repeatWindowDays = try container.decode(Int.self, forKey: .repeatWindowDays)
        authority = try container.decode(AuthorityMatrix.self, forKey: .authority)
        numbering = try container.decode(ComplaintNumbering.self, forKey: .numbering)
        maxDelayDays = try container.decodeIfPresent(Int.self, forKey: .maxDelayDays) ?? 30
        intakeBackdateDays = try container.decodeIfPresent(Int.self, forKey: .intakeBackdateDays) ?? 90
        importBackdateYears = try container.decodeIfPresent(Int.self, forKey: .importBackdateYears) ?? 20
    }

    /// The defaults of SPEC §3–§5. Targets the SPEC states in whole days of hours ("72 h", "24 h") are counted in
    /// days, so on working time they mean working days (72 h → 3 working days), not 72 working hours.
    public static let standard = ServicePolicy(
        priorities: [
            .p0: PriorityTargets(firstResponse: .hours(1), resolution: .hours(24), customerUpdate: .hours(2)),
            .p1: PriorityTargets(firstResponse: .hours(4), resolution: .days(3), customerUpdate: .hours(4)),
            .p2: PriorityTargets(
                firstResponse: .days(1), resolution: .days(5),
                customerUpdate: .dailyAt(LocalTime(hour: 17, minute: 0))),
        ],
        severities: [
            .dissatisfied: SeverityTargets(
                firstContact: .minutes(30), secondContact: .days(1), maxContacts: 2, penalty: .yuan(20),
                reportToManagement: nil),
            .veryDissatisfied: SeverityTargets(
                firstContact: .minutes(20), secondContact: .days(1), maxContacts: 2, penalty: .yuan(30),
                reportToManagement: nil),
            .major: SeverityTargets(
                firstContact: .minutes(10), secondContact: .days(1), maxContacts: 2, penalty: .yuan(50),
                reportToManagement: .hours(24)),
            .crisis: SeverityTargets(
                firstContact: .minutes(10), secondContact: .days(1), maxContacts: nil, penalty: .yuan(80),
                reportToManagement: .hours(24)),
        ],
        fixedLimits: [
            .completeness: .hours(1), .approval: .endOfDay, .departmentResult: .hours(12),
            .verification: .days(1), .returnVisit: .days(2), .requestAnswer: .days(1),
        ],
        calendarTimePriorities: [.p0], calendarTimeSeverities: [.crisis], reopenWindowDays: 30,
        repeatWindowDays: 30, authority: .standard, numbering: .standard)

    /// Calendar or working time, as the policy says for this priority and severity.
    public func basis(priority: Priority, severity: Severity) -> TimeBasis {
        calendarTimePriorities.contains(priority) || calendarTimeSeverities.contains(severity) ? .calendar : .working
    }

    /// The target of `clock` for a complaint of this priority and severity; nil when the policy leaves it out.
    public func limit(for clock: ClockKind, priority: Priority, severity: Severity) -> TimeLimit? {
        switch clock {
        case .firstResponse: priorities[priority]?.firstResponse
        case .resolution: priorities[priority]?.resolution
        case .customerUpdate: priorities[priority]?.customerUpdate
        case .firstContact: severities[severity]?.firstContact
        default: fixedLimits[clock]
        }
    }

    /// Configuration problems, each a sentence; empty when the policy can be used.
    public func problems() -> [String] {
        var problems: [String] = []
        for priority in Priority.allCases where priorities[priority] == nil {
            problems.append("no targets for priority \(priority.rawValue)")
        }
        for severity in Severity.allCases where severities[severity] == nil {
            problems.append("no targets for severity \(severity.rawValue)")
        }
        if reopenWindowDays < 0 { problems.append("the reopen window cannot be negative") }
        if repeatWindowDays < 0 { problems.append("the repeat window cannot be negative") }
        if !(1...366).contains(maxDelayDays) { problems.append("the longest delay must be 1 to 366 days") }
        if !(0...3_650).contains(intakeBackdateDays) {
            problems.append("live intake may reach back 0 to 3650 days")
        }
        // Two-digit years repeat every century; the counter keeps numbers apart, but a window under a century keeps
        // every number's date readable.
        if !(0...99).contains(importBackdateYears) { problems.append("imports may reach back 0 to 99 years") }
        for (severity, targets) in severities where targets.penalty < .zero {
            problems.append("the penalty for \(severity.rawValue) is negative")
        }
        return problems + authority.problems() + numbering.problems()
    }
}

extension ServicePolicy {
    /// Whether a complaint now at `severity`, at `previous` before (nil at intake), is to be reported to management
    /// now: its severity asks for a report (SPEC §3: major and crisis, by default) and the one before did not, so a
    /// complaint is reported once however often it is reclassified.
    public func reportsToManagement(at severity: Severity, previously previous: Severity?) -> Bool {
        guard severities[severity]?.reportToManagement != nil else { return false }
        guard let previous else { return true }
        return severities[previous]?.reportToManagement == nil
    }
}
