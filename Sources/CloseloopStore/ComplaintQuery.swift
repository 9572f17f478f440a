import CloseloopCore
import Foundation

/// A filtered, paginated view of complaints: queues, searches and the API's list.
public struct ComplaintQuery: Sendable, Hashable {
    /// How the list is ordered.
    public enum Order: String, Sendable, CaseIterable {
        /// Newest first.
        case received
        /// Nearest deadline first; complaints without a running clock last.
        case due
    }

    /// What became of a complaint, as the statistics count it, so a figure on a dashboard lists the complaints
    /// behind it.
    public enum Outcome: String, Sendable, CaseIterable {
        case closed, repeated, reopened, rated, negative
        case firstResponseOnTime = "first_response_on_time", firstResponseLate = "first_response_late"
        case resolutionOnTime = "resolution_on_time", resolutionLate = "resolution_late"
    }

    public var states: [ComplaintState] = []
    public var channels: [Channel] = []
    /// Top-level category codes.
    public var categories: [String] = []
    /// Subcategory codes (within the categories asked for, if any).
    public var subcategories: [String] = []
    /// Products, as written at intake.
    public var products: [String] = []
    /// All of these must hold.
    public var outcomes: Set<Outcome> = []
    /// Only complaints closed within this many hours of receipt.
    public var closeHours: CloseHours?

    /// Hours from receipt to closing: at least `from`, under `upTo` (no limit when nil).
    public struct CloseHours: Sendable, Hashable {
        public var from: Int
        public var upTo: Int?

        public init(from: Int, upTo: Int?) {
            self.from = from
            self.upTo = upTo
        }
    }
    /// Only complaints whose clock's latest cycle met (or missed) its deadline.
    public var clockOutcome: ClockOutcome?

    public struct ClockOutcome: Sendable, Hashable {
        public var clock: ClockKind
        public var met: Bool

        public init(clock: ClockKind, met: Bool) {
            self.clock = clock
            self.met = met
        }
    }

    /// Only complaints whose clock used a share of its allowance over `above` percent, up to `upTo` (inclusive): the
    /// bars of the distributions against target.
    public var allowanceUsed: AllowanceUsed?

    public struct AllowanceUsed: Sendable, Hashable {
        public var clock: AllowanceClock
        public var above: Int?
        public var upTo: Int?

        public init(clock: AllowanceClock, above: Int?, upTo: Int?) {
            self.clock = clock
            self.above = above
            self.upTo = upTo
        }
    }
    public var priorities: [Priority] = []
    public var severities: [Severity] = []
    public var kinds: [ComplaintKind] = []
    public var department: DepartmentID?
    public var owner: UserID?
    /// Complaints this user owns or handles ("my complaints").
    public var assignee: UserID?
    /// Only complaints no department has been assigned to yet.
    public var unassigned = false
    /// Only complaints waiting on a decision: an approval, a delay or the countersignature of their close.
    public var awaitingDecision = false
    /// Only complaints whose next deadline is before this instant (overdue when it is "now").
    public var dueBefore: Date?
    /// Full-text terms over subject and description, all of which must match.
    public var text: String?
    public var receivedFrom: Date?
    public var receivedBefore: Date?
    public var customerPhone: String?
    /// Complaints filed with this email (compared case-insensitively).
    public var customerEmail: String?
    public var order: Order = .received
    public var limit: Int = 50
    /// Opaque position returned with the previous page.
    public var cursor: String?
    /// Whether the reader accepts an answer a moment behind the last write (an export), so a read replica may serve
    /// it; a search (`text`) always does, a queue never.
    public var acceptsLag = false

    /// Whether a read replica may answer this query (`Database.analysis`).
    var isAnalysis: Bool { acceptsLag || !(text ?? "").isEmpty }

    public init() {}

    /// Whether `cursor` is one this store issued (and so safe to pass back).
    public static func isValidCursor(_ cursor: String) -> Bool { PageCursor(encoded: cursor) != nil }
}

/// One page of a list, with the cursor of the next page when there is one.
public struct ComplaintPage: Sendable {
    public var records: [ComplaintRecord]
    public var nextCursor: String?
}

/// An opaque keyset position: the sort value and id of the last row of a page.
struct PageCursor: Hashable {
    var value: Int64
    var id: String

    var encoded: String {
        Data("\(value)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(value: Int64, id: String) {
        self.value = value
        self.id = id
    }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let value = Int64(parts[0]) else { return nil }
        self.value = value
        self.id = String(parts[1])
    }
}
