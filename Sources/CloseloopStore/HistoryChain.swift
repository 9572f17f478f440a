import Crypto
import Foundation

/// The hash chain over each complaint's history: every event carries the hash of the one before it, so an edited,
/// removed or reordered event breaks the chain from that point on.
public enum HistoryChain {
    /// The "previous hash" of a complaint's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of one stored event given its predecessor's hash.
    public static func hash(previous: String, complaintID: String, sequence: Int, body: String) -> String {
        Digest.hex(digest(previous: previous, complaintID: complaintID, sequence: sequence, body: Array(body.utf8)))
    }

    /// Whether `stored` (a hash as the table keeps it) is `hash(previous:complaintID:sequence:body:)` of the body
    /// given as bytes, compared as bytes: for a reader that checks every event.
    static func matches(_ stored: Data, previous: String, complaintID: String, sequence: Int, body: [UInt8]) -> Bool {
        Data(digest(previous: previous, complaintID: complaintID, sequence: sequence, body: body)) == stored
    }

    /// The one text every link hashes: the previous hash in hex, the complaint, the sequence and the body.
    private static func digest(previous: String, complaintID: String, sequence: Int, body: [UInt8]) -> SHA256.Digest {
        var hasher = SHA256()
        hasher.update(data: Array("\(previous)\n\(complaintID)\n\(sequence)\n".utf8))
        hasher.update(data: body)
        return hasher.finalize()
    }

    /// A hash as the history table keeps it: its 32 bytes rather than 64 hex digits (migration 34). The hashed text
    /// still names the previous hash in hex, so histories written before then verify unchanged.
    static func stored(_ hash: String) -> Data { Data(Digest.bytes(hex: hash)) }

    /// The hex form of a stored hash, as the chain hashes it.
    static func hash(stored bytes: Data) -> String { bytes.withUnsafeBytes { Digest.hex($0) } }
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
