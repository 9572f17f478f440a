import CloseloopApp
import CloseloopCore
import Foundation

/// The real complaint texts of `../shared/data`, read at run time (never copied into the repository), mixed as a
/// Chinese company would see them: about 70 % Chinese, 30 % English. Also the search terms drawn from them.
struct Corpus: Sendable {
    var chinese: [ComplaintText]
    var english: [ComplaintText]
    /// Frequent runs of three Chinese characters (trigram-searchable), the kind of words staff type.
    var chineseTerms: [String]
    /// Frequent English words of five letters or more.
    var englishTerms: [String]

    static let chineseShare = 0.7

    /// One text, Chinese or English in the corpus's proportion.
    func text(using random: inout SeededRandom) -> ComplaintText {
        let pool = random.chance(Self.chineseShare) ? chinese : english
        return pool[Int.random(in: 0..<pool.count, using: &random)]
    }

    static func load(from directory: URL) throws -> Corpus {
        func read(_ name: String) throws -> [[String: String]] {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw BenchError.missingData("\(url.path) not found; pass --data with the shared data folder")
            }
            return try CSVFormat.records(inFileAt: url)
        }
        var chinese: [ComplaintText] = []
        var english: [ComplaintText] = []
        // Chinese: negative shop and food-delivery reviews (is_complaint = 1), and car complaint titles.
        for row in try read("online_shopping_10_cats_zh.csv") where row["is_complaint"] == "1" {
            chinese.append(
                contentsOf: shaped(row["text"], .chinese, source: "online_shopping", product: row["category"]))
        }
        for row in try read("waimai_10k_zh.csv") where row["is_complaint"] == "1" {
            chinese.append(contentsOf: shaped(row["text"], .chinese, source: "waimai", product: "外卖"))
        }
        for row in try read("car_complaints_12365auto_zh.csv") {
            let product = [row["category"], row["sub_category"]].compactMap { $0 }.joined(separator: " ")
            chinese.append(contentsOf: shaped(row["text"], .chinese, source: "car", product: product))
        }
        // English: CFPB narratives, negative airline tweets, customers' support tweets, Comcast complaint titles.
        for row in try read("cfpb_complaints_en.csv") {
            let issue = row["issue"].flatMap { $0.isEmpty ? nil : $0 }
            english.append(
                contentsOf: shaped(row["text"], .english, source: "cfpb", product: row["category"], subject: issue))
        }
        for row in try read("airline_tweets_en.csv") where row["is_complaint"] == "1" {
            english.append(contentsOf: shaped(row["text"], .english, source: "airline", product: row["category"]))
        }
        for row in try read("twcs_customer_support_en.csv") where row["role"] == "customer" {
            english.append(contentsOf: shaped(row["text"], .english, source: "twcs", product: row["category"]))
        }
        for row in try read("comcast_complaints_en.csv") {
            english.append(contentsOf: shaped(row["text"], .english, source: "comcast", product: "Comcast"))
        }
        guard !chinese.isEmpty, !english.isEmpty else { throw BenchError.missingData("no complaint texts read") }
        return Corpus(
            chinese: chinese, english: english, chineseTerms: SearchTermMiner.chinese(chinese.map(\.description)),
            englishTerms: SearchTermMiner.english(english.map(\.description)))
    }

    /// A text as an intake records it: the full text as the description, and as the subject the source's own
    /// title or the text's first clause, as an agent would summarise it.
    private static func shaped(
        _ raw: String?, _ language: ComplaintText.Language, source: String, product: String?, subject: String? = nil
    ) -> [ComplaintText] {
        let description = String(
            cleaned(raw ?? "", keepingLines: true).trimmingCharacters(in: .whitespacesAndNewlines).prefix(20_000))
        guard !description.isEmpty else { return [] }
        // A subject is one line (the intake refuses line breaks and control characters in it).
        let title = cleaned(
            subject ?? firstClause(of: description, limit: language == .chinese ? 30 : 80), keepingLines: false
        ).trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { return [] }
        let product = product.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        return [
            ComplaintText(
                language: language, subject: title, description: description, source: source, product: product)
        ]
    }

    /// `text` without what intake refuses (`TextRules`): in a one-line field, line breaks and tabs become spaces;
    /// other control characters and bidirectional overrides are dropped.
    static func cleaned(_ text: String, keepingLines: Bool) -> String {
        let shape: TextRules.Shape = keepingLines ? .multiLine : .singleLine
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !TextRules.isForbidden(scalar, shape: shape) {
                result.append(scalar)
            } else if scalar == "\n" || scalar == "\t" || scalar == "\r" {
                result.append(" ")
            }
        }
        return String(result)
    }

    /// The text up to its first sentence mark, or its first `limit` characters.
    private static func firstClause(of text: String, limit: Int) -> String {
        let marks: Set<Character> = ["。", "！", "？", "!", "?", "\n", "；", ";", "，"]
        var clause = ""
        for character in text {
            if marks.contains(character) && clause.count >= 4 { break }
            clause.append(character)
            if clause.count >= limit { break }
        }
        let trimmed = clause.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? String(text.prefix(limit)) : trimmed
    }
}

/// Picks search terms the way staff would use them: words that recur across many complaints.
enum SearchTermMiner {
    /// Runs of three CJK ideographs, ranked by frequency; the very top (function-word runs) is skipped.
    static func chinese(_ texts: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            guard scalars.count >= 3 else { continue }
            for start in 0...(scalars.count - 3) {
                let run = scalars[start..<start + 3]
                guard run.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) }) else { continue }
                var key = String.UnicodeScalarView()
                key.append(contentsOf: run)
                counts[String(key), default: 0] += 1
            }
        }
        return ranked(counts, skip: 10, take: 300)
    }

    /// Lower-cased words of five letters or more, without stop words and CFPB's XXXX masks.
    static func english(_ texts: [String]) -> [String] {
        let stop: Set<String> = [
            "about", "after", "again", "their", "there", "these", "those", "which", "would", "could", "should",
            "because", "being", "where", "while", "other", "still", "never", "every", "since", "until", "before",
            "through", "under", "today", "thanks", "really", "called", "going",
        ]
        var counts: [String: Int] = [:]
        for text in texts {
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter || !$0.isASCII }) where word.count >= 5 {
                let term = String(word)
                if stop.contains(term) || term.contains("xx") { continue }
                counts[term, default: 0] += 1
            }
        }
        return ranked(counts, skip: 10, take: 300)
    }

    private static func ranked(_ counts: [String: Int], skip: Int, take: Int) -> [String] {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        return Array(sorted.dropFirst(skip).prefix(take))
    }
}

/// Why the benchmark cannot go on.
enum BenchError: Error, CustomStringConvertible {
    case missingData(String)
    case failed(String)

    var description: String {
        switch self {
        case .missingData(let message), .failed(let message): message
        }
    }
}
