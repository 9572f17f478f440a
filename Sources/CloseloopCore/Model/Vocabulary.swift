/// Where a complaint came in (SPEC §2).
public enum Channel: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    case web, phone, email, api, im, letter, suggestionBox = "suggestion_box", walkIn = "walk_in", `internal`
}

/// A complaint proper, or one of the requests that are answered directly and closed (SPEC §2).
public enum ComplaintKind: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    case complaint, inquiry, help, suggestion, venting

    /// Requests (every kind but a complaint) may be answered and closed without the full loop.
    public var isRequest: Bool { self != .complaint }
}

/// Urgency × customer value (SPEC §3).
public enum Priority: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable, Comparable {
    case p0 = "P0", p1 = "P1", p2 = "P2"

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How upset the customer is; drives first-contact times, attempts and penalties (SPEC §3).
public enum Severity: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable, Comparable {
    case dissatisfied, veryDissatisfied = "very_dissatisfied", major, crisis

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What the customer asks for.
public enum Remedy: String, CaseIterable, Codable, Sendable {
    case apology, repair, replacement, refund, compensation, explanation
}

/// The kinds of solution a proposal can combine (SPEC §4).
public enum SolutionType: String, CaseIterable, Codable, Sendable {
    case apology, explanation, repair, replacement, refund, discount, compensation
    case rescheduledService = "rescheduled_service", processChange = "process_change"
}

/// Root causes an analysis report names.
public enum RootCause: String, CaseIterable, Codable, Sendable {
    case softwareDefect = "software_defect", hardwareFault = "hardware_fault", misuse
    case staffBehaviour = "staff_behaviour", processGap = "process_gap", supplier, logistics, other
}

/// The result of one attempt to reach the customer.
public enum ContactOutcome: String, CaseIterable, Codable, Sendable {
    case reached, noAnswer = "no_answer", wrongNumber = "wrong_number", messageLeft = "message_left"
}

/// How a closed complaint ended.
public enum Resolution: String, CaseIterable, Codable, Sendable {
    case resolved, invalid, answered, merged
}
