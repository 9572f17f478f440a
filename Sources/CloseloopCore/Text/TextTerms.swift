/// The terms a complaint's text is compared and classified by, in Chinese and English alike. Chinese is written
/// without spaces, so it is not split into words: every Han character and every pair of adjacent ones is a term
/// (the pair carries most of the meaning: 退款, 快递, 变速箱 gives 变速 and 速箱). Latin text is split into words,
/// lowercased, stripped of the commonest words and of plain inflections (refunds, refunded → refund). Digits stay
/// whole, since an order or model number shared by two complaints is strong evidence they are about one thing.
public enum TextTerms {
    /// How often each term occurs in `text`.
    public static func counts(of text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        forEachTerm(in: text) { counts[$0, default: 0] += 1 }
        return counts
    }

    /// Calls `body` with each term of `text` in order (a term repeats as often as it occurs).
    public static func forEachTerm(in text: String, _ body: (String) -> Void) {
        forEachTerm(in: text, han: { body(hanTerm($0)) }, word: body)
    }

    /// Each term of `text` in order: a Han character or pair as its key (`hanKey`), which costs no string, and a
    /// word as its term. The one reading of a text; `forEachTerm(in:_:)` spells the keys out.
    public static func forEachTerm(in text: String, han: (UInt64) -> Void, word body: (String) -> Void) {
        var previousHan: Unicode.Scalar?
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty {
                if let term = wordTerm(String(word)) { body(term) }
                word.removeAll(keepingCapacity: true)
            }
        }
        for raw in text.unicodeScalars {
            let scalar = halfWidth(raw)
            if isHan(scalar) {
                endWord()
                han(UInt64(scalar.value))
                if let first = previousHan { han(hanKey(first, scalar)) }
                previousHan = scalar
            } else if isWordScalar(scalar) {
                previousHan = nil
                word.append(lowercased(scalar))
            } else {
                previousHan = nil
                endWord()
            }
        }
        endWord()
    }

    /// A Han term as a number: a character by its scalar value, a pair by both above 2^21 (no scalar reaches it).
    static func hanKey(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> UInt64 {
        (1 << 42) | (UInt64(first.value) << 21) | UInt64(second.value)
    }

    /// The key of a Han term of one or two characters; nil for any other term.
    public static func hanKey(of term: String) -> UInt64? {
        var scalars = term.unicodeScalars.makeIterator()
        guard let first = scalars.next(), isHan(first) else { return nil }
        guard let second = scalars.next() else { return UInt64(first.value) }
        guard isHan(second), scalars.next() == nil else { return nil }
        return hanKey(first, second)
    }

    /// The term a Han key stands for.
    static func hanTerm(_ key: UInt64) -> String {
        guard key >= 1 << 42, let first = Unicode.Scalar(UInt32((key >> 21) & 0x1F_FFFF)),
            let second = Unicode.Scalar(UInt32(key & 0x1F_FFFF))
        else { return Unicode.Scalar(UInt32(key)).map { String(Character($0)) } ?? "" }
        return String(String.UnicodeScalarView([first, second]))
    }

    /// A Latin word as a term: nil for a stop word or a single letter; otherwise without its plain inflection.
    static func wordTerm(_ word: String) -> String? {
        guard word.unicodeScalars.count >= 2, !stopWords.contains(word) else { return nil }
        if word.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) { return word }
        return stem(word)
    }

    /// A light English stemmer: the suffixes that only inflect (-s, -es, -ed, -ing, -ly), so that "charged",
    /// "charges" and "charging" meet; nothing that could join different words.
    static func stem(_ word: String) -> String {
        var scalars = Array(word.unicodeScalars)
        func drop(_ suffix: String, keeping minimum: Int) -> Bool {
            let tail = Array(suffix.unicodeScalars)
            guard scalars.count - tail.count >= minimum, Array(scalars.suffix(tail.count)) == tail else { return false }
            scalars.removeLast(tail.count)
            return true
        }
        if drop("ies", keeping: 3) {
            scalars.append("y")
        } else if drop("sses", keeping: 2) {
            scalars += ["s", "s"]
        } else if !(scalars.last == "s" && scalars.dropLast().last == "s"), drop("s", keeping: 3) {
            // refunds → refund, but not "less" or "class".
        } else if drop("ing", keeping: 4) || drop("ed", keeping: 4) {
            // A doubled last letter after -ing/-ed is undone (stopped → stop).
            if scalars.count >= 2, scalars[scalars.count - 1] == scalars[scalars.count - 2],
                !["l", "s", "z"].contains(scalars[scalars.count - 1])
            {
                scalars.removeLast()
            }
        } else if drop("ly", keeping: 4) {
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// CJK Unified Ideographs and Extension A.
    public static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }

    /// Full-width ASCII (ＡＢＣ１２３, common in Chinese input) as ASCII.
    private static func halfWidth(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard (0xFF01...0xFF5E).contains(scalar.value) else { return scalar }
        return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if ("A"..."Z").contains(scalar) { return Unicode.Scalar(scalar.value + 32) ?? scalar }
        if scalar.isASCII { return scalar }
        return scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar
    }

    /// English function words, and the masks of redacted narratives (XXXX).
    static let stopWords: Set<String> = [
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
        "he", "her", "him", "his", "how", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
        "out", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to",
        "up", "us", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your",
        "xx", "xxx", "xxxx", "xxxxxxxx",
    ]
}
