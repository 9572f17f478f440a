import Foundation

/// An event's JSON body as the history table keeps it: without what the row's own columns already say.
///
/// `StoreCoding` writes every event as `{"actor":A,"at":T,"change":{"data":D,"type":"Y"},"sequence":S}`. T, Y and S
/// are columns of the event's row, and A, the actor's JSON object, is kept once in `history_actors` and named by
/// number from the row (`HistoryActors`, migration 36). So the row keeps only D, with its most frequent keys and
/// values as single bytes (`StoredEventTokens`). The hash chain is over the whole body, which `expanded` rebuilds byte
/// for byte; a body of any other shape is kept whole, in a row with no actor. A received event's data also leaves out
/// the customer's subject and description (`IntakeText`): the complaint's columns hold them, never changed.
enum StoredEventBody {
    /// What a history row says of its event besides the body and the actor.
    struct Columns: Sendable, Hashable {
        var sequence: Int
        var at: Int64
        var type: String
    }

    /// A body of the usual shape cut where the columns and the actor's number stand in.
    struct Split: Sendable, Hashable {
        /// The actor's JSON object, exactly as the body has it.
        var actor: String
        /// The change's data with its tokens as codes: what the row keeps.
        var data: String
    }

    /// The actor and the packed data of `body`, when `body` has the usual shape and `expanded` rebuilds it from them
    /// and `columns` exactly; nil otherwise. `intake`: the complaint's subject and description when `body` is its
    /// received event's, left out of the data where it holds them.
    static func split(_ body: String, _ columns: Columns, intake: IntakeText? = nil) -> Split? {
        let text = Array(body.utf8)
        let frame = Frame(columns)
        guard text.starts(with: Frame.prefix), text.count >= Frame.prefix.count + frame.suffix.count,
            text.suffix(frame.suffix.count).elementsEqual(frame.suffix),
            // Inside the actor's object a quote is escaped in every string, and no key is "at", so the first
            // `,"at":` after it is where it ends.
            let middle = firstRange(of: frame.middle, in: text, from: Frame.prefix.count),
            middle.upperBound <= text.count - frame.suffix.count
        else { return nil }
        let actor = text[Frame.prefix.count..<middle.lowerBound]
        let data = text[middle.upperBound..<(text.count - frame.suffix.count)]
        guard actor.first == UInt8(ascii: "{"), actor.last == UInt8(ascii: "}"), data.first != nil,
            StoredEventTokens.canPack(data)
        else { return nil }
        let kept = intake.map { $0.leftOut(of: Array(data)) } ?? Array(data)
        return Split(
            actor: String(decoding: actor, as: UTF8.self),
            data: String(decoding: StoredEventTokens.packed(kept), as: UTF8.self))
    }

    /// The whole body of a row's event, as it was hashed: `stored` itself when the row names no actor (kept whole),
    /// else rebuilt around the packed data.
    static func expanded(_ stored: String, actor: String?, _ columns: Columns, intake: IntakeText? = nil) throws
        -> String
    {
        guard let actor else { return try whole(stored, columns) }
        return String(decoding: try expanded(stored, actor: actor.utf8, columns, intake: intake), as: UTF8.self)
    }

    /// `expanded`'s bytes, for a reader that hashes them (`verify-history`) and has the actor's object as bytes.
    static func expandedUTF8(_ stored: String, actor: [UInt8]?, _ columns: Columns, intake: IntakeText? = nil)
        throws -> [UInt8]
    {
        guard let actor else { return Array(try whole(stored, columns).utf8) }
        return try expanded(stored, actor: actor, columns, intake: intake)
    }

    private static func whole(_ stored: String, _ columns: Columns) throws -> String {
        guard stored.utf8.first == UInt8(ascii: "{") else {
            throw StoreError.corruptRecord("event \(columns.sequence) has neither an actor nor a whole body")
        }
        return stored
    }

    private static func expanded(
        _ stored: String, actor: some Collection<UInt8>, _ columns: Columns, intake: IntakeText?
    ) throws -> [UInt8] {
        guard !stored.isEmpty else {
            throw StoreError.corruptRecord("event \(columns.sequence) has an actor but no data")
        }
        var body: [UInt8] = []
        // The data at most doubles as its codes open; 96 bytes hold the frame's keys and its two numbers.
        body.reserveCapacity(
            Frame.prefix.count + actor.count + stored.utf8.count * 2 + columns.type.utf8.count + 96)
        body += Frame.prefix
        body += actor
        Frame.appendMiddle(columns, to: &body)
        let data = StoredEventTokens.unpacked(stored.utf8)
        if data.contains(where: IntakeText.isCode) {
            guard let intake else {
                throw StoreError.corruptRecord(
                    "event \(columns.sequence) needs its complaint's subject and description")
            }
            body += intake.putBack(into: data)
        } else {
            body += data
        }
        Frame.appendSuffix(columns, to: &body)
        return body
    }

    /// The fixed parts of the usual shape: before the actor, between it and the data, and after the data.
    private struct Frame {
        static let prefix = Array(#"{"actor":"#.utf8)
        var middle: [UInt8] = []
        var suffix: [UInt8] = []

        init(_ columns: Columns) {
            Self.appendMiddle(columns, to: &middle)
            Self.appendSuffix(columns, to: &suffix)
        }

        private static let atKey = Array(#","at":"#.utf8)
        private static let dataKey = Array(#","change":{"data":"#.utf8)
        private static let typeKey = Array(#","type":""#.utf8)
        private static let sequenceKey = Array(#""},"sequence":"#.utf8)

        // Appended to the body rather than interpolated into Strings of their own: `verify-history` builds one per
        // event. A number's text fits in a small String, which allocates nothing.
        static func appendMiddle(_ columns: Columns, to bytes: inout [UInt8]) {
            bytes += atKey
            bytes += String(columns.at).utf8
            bytes += dataKey
        }

        static func appendSuffix(_ columns: Columns, to bytes: inout [UInt8]) {
            bytes += typeKey
            bytes += columns.type.utf8
            bytes += sequenceKey
            bytes += String(columns.sequence).utf8
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static func firstRange(of needle: [UInt8], in text: [UInt8], from start: Int) -> Range<Int>? {
        guard let first = needle.first, needle.count <= text.count - start else { return nil }
        var index = start
        let last = text.count - needle.count
        while index <= last {
            if text[index] == first, text[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }
}
