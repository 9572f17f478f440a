import Foundation

/// The hash chain over each complaint's history: every event carries the hash of the one before it, so an edited,
/// removed or reordered event breaks the chain from that point on.
public enum HistoryChain {
    /// The "previous hash" of a complaint's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of one stored event given its predecessor's hash.
    public static func hash(previous: String, complaintID: String, sequence: Int, body: String) -> String {
        Digest.sha256("\(previous)\n\(complaintID)\n\(sequence)\n\(body)")
    }
}

/// What `verify-history` found.
public struct HistoryVerification: Sendable, Hashable {
    public var complaintsChecked: Int
    public var eventsChecked: Int
    /// The first broken link, if any.
    public var firstBreak: HistoryBreak?

    public var isIntact: Bool { firstBreak == nil }
}

/// Where and how the history chain breaks.
public struct HistoryBreak: Sendable, Hashable, CustomStringConvertible {
    public var complaintNumber: String
    public var sequence: Int
    public var reason: String

    public var description: String { "complaint \(complaintNumber), event \(sequence): \(reason)" }
}
