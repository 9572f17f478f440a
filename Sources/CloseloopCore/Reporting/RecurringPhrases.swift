import Foundation

/// The words and phrases that keep coming back in a period's complaints (高频问题), found without a dictionary:
/// Chinese text is not split by spaces, so runs of two to four Chinese characters are counted, once per complaint,
/// and a phrase is kept only when it is not just part of a longer one that recurs about as often; English words of
/// four letters or more are counted the same way. Common function words are left out.
public enum RecurringPhrases {
    public struct Phrase: Hashable, Sendable {
        public var text: String
        /// How many of the texts contain it.
        public var count: Int
    }

    /// Chinese runs that say nothing about what went wrong.
    static let chineseStopPhrases: Set<String> = [
        "我们", "你们", "他们", "没有", "已经", "一个", "这个", "那个", "什么", "现在", "还是", "但是", "因为", "所以",
        "可以", "就是", "不是", "自己", "时候", "然后", "希望", "客户", "要求", "问题", "投诉", "一下", "一直", "还没",
        "的话", "了一", "是我", "我的", "我们的", "非常", "这样", "如果", "而且", "知道", "觉得", "以后", "之后",
    ]

    static let englishStopWords: Set<String> = [
        "that", "this", "with", "have", "from", "they", "were", "been", "when", "what", "there", "their", "would",
        "about", "after", "again", "into", "your", "than", "then", "them", "only", "just", "also", "said", "will",
        "because", "could", "which", "very", "still", "over", "some", "more", "even", "since",
    ]

    /// The `limit` most frequent phrases in `texts` that occur in at least `minimum` of them, most frequent first.
    public static func top(in texts: [String], limit: Int = 20, minimum: Int = 2) -> [Phrase] {
        var counts: [String: Int] = [:]
        for text in texts {
            for phrase in phrases(of: text) { counts[phrase, default: 0] += 1 }
        }
        let frequent = counts.filter { $0.value >= minimum }
        // A run that is mostly seen inside one longer run (快递 inside 快递员) is that longer run's part, not a phrase
        // of its own; and a longer run seen about as often as its parts replaces them.
        let kept = frequent.filter { phrase, count in
            !frequent.contains { other, otherCount in
                other.count > phrase.count && other.contains(phrase) && Double(otherCount) >= Double(count) * 0.8
            }
        }
        let ranked = kept.map { Phrase(text: $0.key, count: $0.value) }.sorted(by: Self.ranks)
        return Array(grown(Array(ranked.prefix(limit * 2)), in: texts).prefix(limit))
    }

    /// The longest phrase a recurring run belongs to: a sentence that recurs word for word (a template, a product's
    /// fault described the same way) yields overlapping runs (机一小时, 一小时室, 小时室温…) that are one phrase. Each
    /// Chinese run is extended a character at a time, right then left, while the longer run still recurs in nearly as
    /// many texts (at most 16 characters, never across punctuation); the runs it swallows are not listed again.
    static func grown(_ ranked: [Phrase], in texts: [String]) -> [Phrase] {
        let lowered = texts.map { $0.lowercased() }
        var result: [Phrase] = []
        for phrase in ranked {
            if result.contains(where: {
                $0.text.contains(phrase.text) && Double($0.count) >= Double(phrase.count) * 0.8
            }) {
                continue
            }
            guard phrase.text.unicodeScalars.allSatisfy({ isChinese(Character($0)) }) else {
                result.append(phrase)
                continue
            }
            var text = phrase.text
            var count = phrase.count
            while text.count < 16, let (longer, seen) = extended(text, in: lowered, atLeast: Double(phrase.count) * 0.8)
            {
                text = longer
                count = seen
            }
            result.append(Phrase(text: text, count: count))
        }
        let final = result.filter { phrase in
            !result.contains {
                $0.text.count > phrase.text.count && $0.text.contains(phrase.text)
                    && Double($0.count) >= Double(phrase.count) * 0.8
            }
        }
        return final.sorted(by: ranks)
    }

    /// `text` one Chinese character longer, on the side where the texts containing it most often agree, when the
    /// longer run is in at least `needed` texts.
    static func extended(_ text: String, in texts: [String], atLeast needed: Double) -> (String, Int)? {
        var after: [Character: Int] = [:]
        var before: [Character: Int] = [:]
        for candidate in texts {
            var seenAfter: Set<Character> = []
            var seenBefore: Set<Character> = []
            var from = candidate.startIndex
            while let found = candidate.range(of: text, range: from..<candidate.endIndex) {
                if found.upperBound < candidate.endIndex, isChinese(candidate[found.upperBound]) {
                    seenAfter.insert(candidate[found.upperBound])
                }
                if found.lowerBound > candidate.startIndex {
                    let previous = candidate[candidate.index(before: found.lowerBound)]
                    if isChinese(previous) { seenBefore.insert(previous) }
                }
                from = candidate.index(after: found.lowerBound)
            }
            for character in seenAfter { after[character, default: 0] += 1 }
            for character in seenBefore { before[character, default: 0] += 1 }
        }
        if let best = after.max(by: { $0.value < $1.value }), Double(best.value) >= needed {
            return (text + String(best.key), best.value)
        }
        if let best = before.max(by: { $0.value < $1.value }), Double(best.value) >= needed {
            return (String(best.key) + text, best.value)
        }
        return nil
    }

    /// More frequent first; among equals the longer phrase, then the first in order.
    static func ranks(_ left: Phrase, _ right: Phrase) -> Bool {
        if left.count != right.count { return left.count > right.count }
        if left.text.count != right.text.count { return left.text.count > right.text.count }
        return left.text < right.text
    }

    /// How many of `texts` contain each of `phrases`, for comparing a period's phrases with earlier periods.
    public static func counts(of phrases: [String], in texts: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for text in texts {
            let lowered = text.lowercased()
            for phrase in phrases where lowered.contains(phrase) { counts[phrase, default: 0] += 1 }
        }
        return counts
    }

    /// The distinct candidate phrases of one text: Chinese runs of 2–4 characters, English words of 4+ letters.
    static func phrases(of text: String) -> Set<String> {
        var found: Set<String> = []
        var chinese: [Character] = []
        var word = ""
        func flushChinese() {
            if chinese.count >= 2 {
                for length in 2...4 where chinese.count >= length {
                    for start in 0...(chinese.count - length) {
                        let phrase = String(chinese[start..<start + length])
                        if !chineseStopPhrases.contains(phrase) && !startsOrEndsWithParticle(phrase) {
                            found.insert(phrase)
                        }
                    }
                }
            }
            chinese.removeAll()
        }
        func flushWord() {
            if word.count >= 4 && !englishStopWords.contains(word) { found.insert(word) }
            word = ""
        }
        for character in text.lowercased() {
            if isChinese(character) {
                flushWord()
                chinese.append(character)
            } else if character.isASCII && character.isLetter {
                flushChinese()
                word.append(character)
            } else {
                flushChinese()
                flushWord()
            }
        }
        flushChinese()
        flushWord()
        return found
    }

    /// Characters that glue phrases together rather than name anything; a run starting or ending with one is not a
    /// phrase (的, 了, 是, 在…).
    static let particles: Set<Character> = [
        "的", "了", "是", "在", "和", "也", "都", "就", "又", "把", "被", "给", "我", "你", "他", "她", "它", "吗", "呢", "吧", "啊", "很",
        "还", "说", "有", "要", "不", "没", "一", "这", "那", "个",
    ]

    static func startsOrEndsWithParticle(_ phrase: String) -> Bool {
        guard let first = phrase.first, let last = phrase.last else { return true }
        return particles.contains(first) || particles.contains(last)
    }

    static func isChinese(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return TextTerms.isHan(scalar)
    }
}
