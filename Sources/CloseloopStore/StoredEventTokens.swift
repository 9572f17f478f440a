/// The change data of a compact history row with its most frequent JSON keys and enumeration values written as one
/// byte each: 35 % of the data's bytes in the bench's histories (a contact's `"outcome":"reached"`, a clock alert's
/// `"cycleStart":`, `"dueAt":`, `"level":`, `"customer_update"`), so about 30 bytes of every event.
///
/// A code is a control byte that JSON text never holds raw (the encoder escapes control characters in strings and
/// writes no whitespace; tab, line feed and carriage return are not used as codes all the same), so `unpacked`
/// gives back the data byte for byte, and data stored before this table, or with any such byte, is read as it is.
/// The table is part of the stored format: a token keeps its code for ever, and new ones only take the free codes.
enum StoredEventTokens {
    /// Code 1 is the first token, and so on; 0x09, 0x0A and 0x0D are skipped.
    static let tokens: [String] = [
        #""cycleStart":"#, #""outcome":"#, #""note":"#, #""attachments":"#, #""kind":"#, #""clock":"#, #""dueAt":"#,
        #""level":"#, #""description":"#, #""text":"#, #""priority":"#, #""severity":"#, #""workFinished":"#,
        #""suggestedSolution":"#, #""approved":"#, #""evidence":"#, #""problemType":"#, #""comment":"#,
        #""complete":"#, #""department":"#, #""customer_update""#, #""reached""#, #""breach""#, #""warning""#,
        #""complaint""#, #""dissatisfied""#,
    ]

    static let codes: [UInt8] = Array((0x01...0x1F).filter { ![0x09, 0x0A, 0x0D].contains($0) }.prefix(tokens.count))

    /// Longest first, so that a token is never cut short by another that begins it.
    private static let byLength: [(bytes: [UInt8], code: UInt8)] = zip(tokens, codes)
        .map { (Array($0.utf8), $1) }.sorted { $0.bytes.count > $1.bytes.count }

    private static let expansions: [UInt8: [UInt8]] = Dictionary(
        uniqueKeysWithValues: zip(codes, tokens.map { Array($0.utf8) }))

    /// Whether `data` can be packed: it holds no byte that `unpacked` would read as a code.
    static func canPack(_ data: some Collection<UInt8>) -> Bool {
        !data.contains { $0 < 0x20 }
    }

    /// `data` with each token replaced by its code, scanning from the start.
    static func packed(_ data: some Collection<UInt8>) -> [UInt8] {
        let text = Array(data)
        var packed: [UInt8] = []
        packed.reserveCapacity(text.count)
        var index = 0
        scan: while index < text.count {
            if text[index] == UInt8(ascii: "\"") {
                for token in byLength
                where index + token.bytes.count <= text.count
                    && text[index..<(index + token.bytes.count)].elementsEqual(token.bytes)
                {
                    packed.append(token.code)
                    index += token.bytes.count
                    continue scan
                }
            }
            packed.append(text[index])
            index += 1
        }
        return packed
    }

    /// The data `packed` was made from.
    static func unpacked(_ data: some Collection<UInt8>) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(data.count * 2)
        for byte in data {
            if byte < 0x20, let token = expansions[byte] { text += token } else { text.append(byte) }
        }
        return text
    }
}
