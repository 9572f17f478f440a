import Foundation

/// Quality's spot checks (质检/抽检, SPEC §1 "quality / head office"): how many closed complaints are drawn per
/// department and period, and the checklist each is scored against (each item 0–100, weighted into one score).
public struct QualityChecklist: Hashable, Codable, Sendable {
    public struct Item: Hashable, Codable, Sendable {
        public var code: String
        public var name: LocalizedText
        public var weight: Int

        public init(code: String, name: LocalizedText, weight: Int) {
            self.code = code
            self.name = name
            self.weight = weight
        }
    }

    /// Closed complaints drawn per department and period.
    public var sampleSize: Int
    public var items: [Item]

    public init(sampleSize: Int, items: [Item]) {
        self.sampleSize = sampleSize
        self.items = items
    }

    public static let standard = QualityChecklist(
        sampleSize: 5,
        items: [
            Item(code: "first_contact", name: LocalizedText(zh: "首次联系及时", en: "first contact on time"), weight: 25),
            Item(code: "explanation", name: LocalizedText(zh: "解释清楚", en: "explanation clear"), weight: 25),
            Item(code: "solution", name: LocalizedText(zh: "方案得当", en: "solution appropriate"), weight: 30),
            Item(code: "record", name: LocalizedText(zh: "记录完整", en: "record complete"), weight: 20),
        ])

    public func problems() -> [String] {
        var problems: [String] = []
        if !(1...100).contains(sampleSize) { problems.append("the sample size must be between 1 and 100") }
        if items.isEmpty || items.count > 20 { problems.append("the checklist needs between 1 and 20 items") }
        var seen: Set<String> = []
        for item in items {
            if item.code.count < 2 || item.code.count > 40
                || !item.code.allSatisfy({ ($0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "_" })
            {
                problems.append("item code \(item.code) must be 2–40 lowercase letters, digits or _")
            }
            if !seen.insert(item.code).inserted { problems.append("item code \(item.code) appears twice") }
            if item.name.zhHans.trimmingCharacters(in: .whitespaces).isEmpty
                || item.name.en.trimmingCharacters(in: .whitespaces).isEmpty
            {
                problems.append("item \(item.code) needs a Chinese and an English name")
            }
            if !(1...100).contains(item.weight) { problems.append("item \(item.code) needs a weight of 1 to 100") }
        }
        return problems
    }

    /// The one score of a check: each item's 0–100 weighted by its weight, rounded. Every item must be scored.
    public func total(of scores: [String: Int]) throws(DomainError) -> Int {
        var issues: [FieldIssue] = []
        for item in items {
            guard let score = scores[item.code] else {
                issues.append(.required("score.\(item.code)"))
                continue
            }
            if !(0...100).contains(score) {
                issues.append(.invalid("score.\(item.code)", zh: "应为 0 到 100", en: "must be 0 to 100"))
            }
        }
        guard issues.isEmpty else { throw .validation(issues) }
        let weights = items.reduce(0) { $0 + $1.weight }
        let sum = items.reduce(0) { $0 + (scores[$1.code] ?? 0) * $1.weight }
        return Int((Double(sum) / Double(max(weights, 1))).rounded())
    }

    /// The checklist as an administrator edits it: `sample: N`, then one item per line, `code | 中文 | English | weight`.
    public var text: String {
        (["sample: \(sampleSize)"] + items.map { "\($0.code) | \($0.name.zhHans) | \($0.name.en) | \($0.weight)" })
            .joined(separator: "\n")
    }

    /// Reads `text`; nil and every problem when it cannot be used.
    public static func parse(_ text: String) -> (QualityChecklist?, [String]) {
        var problems: [String] = []
        var sample: Int?
        var items: [Item] = []
        for (index, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.lowercased().hasPrefix("sample:") {
                sample = Int(line.dropFirst("sample:".count).trimmingCharacters(in: .whitespaces))
                if sample == nil { problems.append("line \(index + 1): the sample size is a whole number") }
                continue
            }
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4, let weight = Int(parts[3]) else {
                problems.append("line \(index + 1): write code | 中文 | English | weight")
                continue
            }
            items.append(Item(code: parts[0], name: LocalizedText(zh: parts[1], en: parts[2]), weight: weight))
        }
        guard let sample else { return (nil, problems + ["the first line must be sample: N"]) }
        let checklist = QualityChecklist(sampleSize: sample, items: items)
        problems += checklist.problems()
        return problems.isEmpty ? (checklist, []) : (nil, problems)
    }
}

/// One closed complaint drawn for a spot check, and its score once quality has checked it.
public struct SpotCheck: Hashable, Sendable {
    public var complaintID: ComplaintID
    public var number: String
    public var department: DepartmentID?
    public var owner: UserID?
    /// The period it was drawn for, as `ReportPeriod.code` reads ("2026-11").
    public var period: String
    public var drawnAt: Date
    public var drawnBy: UserID
    public var scores: [String: Int]
    public var total: Int?
    public var note: String
    public var checkedBy: UserID?
    public var checkedAt: Date?

    public init(
        complaintID: ComplaintID, number: String, department: DepartmentID?, owner: UserID?, period: String,
        drawnAt: Date, drawnBy: UserID, scores: [String: Int] = [:], total: Int? = nil, note: String = "",
        checkedBy: UserID? = nil, checkedAt: Date? = nil
    ) {
        self.complaintID = complaintID
        self.number = number
        self.department = department
        self.owner = owner
        self.period = period
        self.drawnAt = drawnAt
        self.drawnBy = drawnBy
        self.scores = scores
        self.total = total
        self.note = note
        self.checkedBy = checkedBy
        self.checkedAt = checkedAt
    }
}
