import Foundation

/// The reports mailed on a schedule (SPEC §7): each subscription sends one scope's dashboard, weekly or monthly, to
/// the staff chosen, with the workbook attached. A period is sent once it is over, on the morning after, at the
/// daily report's time; a server that was down then sends it when it comes back, until the next period ends.
public struct ReportSchedule: Hashable, Codable, Sendable {
    public enum Frequency: String, Hashable, Codable, Sendable, CaseIterable {
        case weekly, monthly

        /// The kind of period it sends.
        public var periodKind: ReportPeriod.Kind {
            switch self {
            case .weekly: .week
            case .monthly: .month
            }
        }
    }

    public struct Subscription: Hashable, Codable, Sendable, Identifiable {
        /// Stable across edits: the outbox ids of what it sent are derived from it.
        public var id: String
        public var frequency: Frequency
        /// Nil for the company's figures.
        public var department: DepartmentID?
        public var recipients: [UserID]

        public init(id: String, frequency: Frequency, department: DepartmentID?, recipients: [UserID]) {
            self.id = id
            self.frequency = frequency
            self.department = department
            self.recipients = recipients
        }

        /// The last period over on `today` (weeks starting on `weekStart`): what is due to be sent.
        public func lastPeriod(asOf today: LocalDate, weekStart: Weekday = .monday) -> ReportPeriod {
            ReportPeriod.current(frequency.periodKind, containing: today, weekStart: weekStart).previous
        }

        /// Who may not be sent it: recipients who may not read its figures (`ReportAccess`), by id.
        public func unentitled(among staff: [StaffMember]) -> [UserID] {
            recipients.filter { id in
                guard let member = staff.first(where: { $0.id == id }) else { return true }
                return !ReportAccess.mayRead(department, by: member)
            }
        }
    }

    public var subscriptions: [Subscription]

    public init(subscriptions: [Subscription] = []) { self.subscriptions = subscriptions }

    public static let none = ReportSchedule()

    /// The most subscriptions and recipients kept: a schedule is a short list, not a mailing list.
    public static let maxSubscriptions = 50
    public static let maxRecipients = 50

    /// Configuration problems, each a sentence; `staff` is who may be chosen (active staff).
    public func problems(staff: [StaffMember]) -> [String] {
        var problems: [String] = []
        if subscriptions.count > Self.maxSubscriptions {
            problems.append("at most \(Self.maxSubscriptions) scheduled reports")
        }
        var seen: Set<String> = []
        for subscription in subscriptions {
            if subscription.id.isEmpty || !seen.insert(subscription.id).inserted {
                problems.append("each scheduled report needs its own id")
            }
            if subscription.recipients.isEmpty || subscription.recipients.count > Self.maxRecipients {
                problems.append("a scheduled report goes to between 1 and \(Self.maxRecipients) people")
            }
            for id in subscription.unentitled(among: staff) {
                problems.append("\(id.rawValue) may not read these figures")
            }
        }
        return problems
    }
}
