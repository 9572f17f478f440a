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

    /// A hash as the history table keeps it: its 32 bytes rather than 64 hex digits (migration 34). The hashed text
    /// still names the previous hash in hex, so histories written before then verify unchanged.
    static func stored(_ hash: String) -> Data { Data(Digest.bytes(hex: hash)) }

    /// The hex form of a stored hash, as the chain hashes it.
    static func hash(stored bytes: Data) -> String { Digest.hex(bytes) }
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
