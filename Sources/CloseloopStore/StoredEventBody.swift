import Foundation

/// An event's JSON body as the history table keeps it: without what the row's own columns already say.
///
/// `StoreCoding` writes every event as
/// `{"actor":{"kind":"K","name":N[,"userID":"U"]},"at":T,"change":{"data":D,"type":"Y"},"sequence":S}`, and K, U, T,
/// Y and S are columns of the event's row. So the row keeps N (the actor's name, a JSON string) followed by D, about
/// 40 % of the body (migration 34), D with its most frequent keys and values as single bytes (`StoredEventTokens`).
/// The hash chain is over the whole body, which `expanded` rebuilds byte for byte from the row; a body of any other
/// shape is kept whole. A kept body starts with `{`, a compact one with N's `"`.
enum StoredEventBody {
    /// What a history row says of its event besides the body.
    struct Columns: Sendable, Hashable {
        var sequence: Int
        var at: Int64
        var actorKind: String
        var actorID: String?
        var type: String
    }

    /// What the row keeps of `body`: the actor's name and the change's data when `body` has the usual shape and the
    /// columns rebuild the rest exactly, `body` itself otherwise.
    static func compacted(_ body: String, _ columns: Columns) -> String {
        let text = Array(body.utf8)
        let frame = Frame(columns)
        guard text.starts(with: frame.prefix), text.count >= frame.prefix.count + frame.suffix.count,
            text.suffix(frame.suffix.count).elementsEqual(frame.suffix),
            let middle = firstRange(of: frame.middle, in: text, from: frame.prefix.count),
            middle.upperBound <= text.count - frame.suffix.count
        else { return body }
        let name = text[frame.prefix.count..<middle.lowerBound]
        // The name must be one JSON string and nothing else, so that `expanded` finds where it ends.
        guard let nameEnd = stringEnd(in: name), nameEnd == name.endIndex else { return body }
        let data = text[middle.upperBound..<(text.count - frame.suffix.count)]
        guard data.first != nil, StoredEventTokens.canPack(data) else { return body }
        return String(decoding: name + StoredEventTokens.packed(data), as: UTF8.self)
    }

    /// The whole body of a row's event, as it was hashed.
    static func expanded(_ stored: String, _ columns: Columns) throws -> String {
        let text = Array(stored.utf8)
        switch text.first {
        case UInt8(ascii: "{"): return stored
        case UInt8(ascii: "\""):
            guard let nameEnd = stringEnd(in: text[...]), nameEnd < text.count else { break }
            let frame = Frame(columns)
            var body: [UInt8] = []
            body.reserveCapacity(text.count + frame.prefix.count + frame.middle.count + frame.suffix.count)
            body += frame.prefix
            body += text[..<nameEnd]
            body += frame.middle
            body += StoredEventTokens.unpacked(text[nameEnd...])
            body += frame.suffix
            return String(decoding: body, as: UTF8.self)
        default: break
        }
        throw StoreError.corruptRecord("event \(columns.sequence) has a body of neither stored shape")
    }

    /// The fixed parts of the usual shape, around the name and around the data.
    private struct Frame {
        var prefix: [UInt8]
        var middle: [UInt8]
        var suffix: [UInt8]

        init(_ columns: Columns) {
            prefix = Array(#"{"actor":{"kind":"\#(columns.actorKind)","name":"#.utf8)
            let user = columns.actorID.map { #","userID":"\#($0)""# } ?? ""
            middle = Array(#"\#(user)},"at":\#(columns.at),"change":{"data":"#.utf8)
            suffix = Array(#","type":"\#(columns.type)"},"sequence":\#(columns.sequence)}"#.utf8)
        }
    }

    /// The index just past the JSON string that `text` starts with, or nil when it does not start with a whole one.
    private static func stringEnd(in text: ArraySlice<UInt8>) -> Int? {
        guard text.first == UInt8(ascii: "\"") else { return nil }
        var index = text.startIndex + 1
        while index < text.endIndex {
            switch text[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
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
