/// A complaint's stored document with its JSON keys and most frequent values written as two bytes each: a third of
/// the bench's documents (1.7 KB) was keys such as `"progressUpdatesOptedOut":` and clock names such as
/// `"department_result"`, the same in every complaint.
///
/// A token is a whole JSON string (with the colon after it when it is a key) and its code is the byte 0x01 followed by
/// one printable ASCII byte, its place in `tokens`. JSON text holds no raw control byte, so `unpacked` gives the text
/// back byte for byte, and documents written before (plain JSON) read as they are. The table is part of the stored
/// format: a token keeps its place for ever, and new ones only go at the end.
enum StoredDocumentTokens {
    static let tokens: [String] = [
        // The record and its clocks.
        #""clocks":"#, #""complaint":"#, #""nextAlertAt":"#, #""completeness""#, #""first_response""#,
        #""first_contact""#, #""customer_update""#, #""approval""#, #""department_result""#, #""resolution""#,
        #""verification""#, #""return_visit""#, #""request_answer""#, #""working""#, #""calendar""#,
        // The complaint.
        #""analysis":"#, #""findings":"#, #""problemType":"#, #""rootCause":"#, #""suggestedSolution":"#,
        #""technical":"#, #""category":"#, #""subcategory":"#, #""closedAt":"#, #""completenessConfirmed":"#,
        #""contactAttempts":"#, #""department":"#, #""firstContactAt":"#, #""handler":"#, #""hasCaseWriteUp":"#,
        #""id":"#, #""intake":"#, #""attachments":"#, #""channel":"#, #""customer":"#, #""email":"#, #""name":"#,
        #""phone":"#, #""description":"#, #""kind":"#, #""priority":"#, #""product":"#, #""reference":"#,
        #""remedies":"#, #""severity":"#, #""subject":"#, #""number":"#, #""owner":"#,
        #""progressUpdatesOptedOut":"#, #""proposal":"#, #""types":"#, #""receivedAt":"#, #""reopenCount":"#,
        #""resolution":"#, #""satisfaction":"#, #""staffMentions":"#, #""state":"#, #""updatedAt":"#,
        #""version":"#, #""workFinishedAt":"#, #""validatedAt":"#, #""approval":"#, #""result":"#,
        #""verifiedAt":"#, #""returnVisit":"#, #""incident":"#, #""mergedInto":"#, #""repeatOf":"#,
        #""complainedAboutUser":"#, #""pendingRequest":"#, #""delay":"#, #""compensation":"#,
        // Frequent values.
        #""complaint""#, #""dissatisfied""#, #""closed""#, #""resolved""#, #""phone""#, #""web""#, #""email""#,
        #""P1""#, #""P2""#, #""P3""#, #""refund""#, #""repair""#, #""replacement""#, #""compensation""#,
        #""apology""#, #""process_gap""#, #""investigating""#, #""validated""#,
    ]

    static let lead: UInt8 = 0x01
    /// The second byte of the first token's code; the table may hold up to 94 (0x21…0x7E).
    static let first: UInt8 = 0x21

    private static let codes: [[UInt8]: UInt8] = Dictionary(
        tokens.enumerated().map { (Array($1.utf8), first + UInt8($0)) }, uniquingKeysWith: { kept, _ in kept })
    private static let expansions: [UInt8: [UInt8]] = Dictionary(
        uniqueKeysWithValues: tokens.enumerated().map { (first + UInt8($0), Array($1.utf8)) })

    /// `json` with each whole string that is a token (a key with its colon, or a value) replaced by its code.
    static func packed(_ json: String) -> String {
        let text = Array(json.utf8)
        // A document from elsewhere holding a control byte is kept as it is, so no byte of it is misread as a code.
        guard !text.contains(where: { $0 < 0x20 }) else { return json }
        var packed: [UInt8] = []
        packed.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "\"") else {
                packed.append(text[index])
                index += 1
                continue
            }
            let end = stringEnd(in: text, from: index)
            let key = end < text.count && text[end] == UInt8(ascii: ":")
            if key, let code = codes[Array(text[index...end])] {
                packed += [lead, code]
                index = end + 1
            } else if let code = codes[Array(text[index..<end])] {
                packed += [lead, code]
                index = end
            } else {
                packed += text[index..<end]
                index = end
            }
        }
        return String(decoding: packed, as: UTF8.self)
    }

    /// The JSON that `packed` was made from.
    static func unpacked(_ stored: String) throws -> String {
        let text = Array(stored.utf8)
        guard text.contains(lead) else { return stored }
        var json: [UInt8] = []
        json.reserveCapacity(text.count * 2)
        var index = 0
        while index < text.count {
            if text[index] == lead {
                guard index + 1 < text.count, let token = expansions[text[index + 1]] else {
                    throw StoreError.corruptRecord("a document holds an unknown token")
                }
                json += token
                index += 2
            } else {
                json.append(text[index])
                index += 1
            }
        }
        return String(decoding: json, as: UTF8.self)
    }

    /// The index just past the JSON string that starts at `start`, or the end of `text` if it does not close.
    private static func stringEnd(in text: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < text.count {
            switch text[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return text.count
    }
}
