/// The terms of many texts, for training: each distinct term kept once and numbered in sorted order, and each text
/// as its terms' numbers with their counts in two flat arrays. A dictionary per text, as `TextTerms.counts` gives, is
/// several times larger: for the 50,000 complaints a model learns from, it was most of the server's memory while it
/// trained.
public struct TermCorpus: Sendable {
    /// Every distinct term, sorted; a term's number is its place here, so numbers compare as the terms do.
    public let terms: [String]
    /// Text `t`'s entries are `starts[t]..<starts[t + 1]` of `numbers` and `counts`, by number ascending.
    private let starts: [Int]
    private let numbers: [UInt32]
    private let counts: [UInt32]

    /// How many texts it holds.
    public var count: Int { starts.count - 1 }

    /// The texts' terms, as `TextTerms` reads them.
    public init(texts: some Sequence<String>) {
        self.init(texts.lazy.map { TextTerms.counts(of: $0) })
    }

    /// Texts given as how often each term occurs in each.
    public init(_ texts: some Sequence<[String: Int]>) {
        var numbering: [String: UInt32] = [:]
        var seen: [String] = []
        var starts = [0]
        var numbers: [UInt32] = []
        var counts: [UInt32] = []
        for text in texts {
            for (term, count) in text {
                let number: UInt32
                if let known = numbering[term] {
                    number = known
                } else {
                    number = UInt32(seen.count)
                    numbering[term] = number
                    seen.append(term)
                }
                numbers.append(number)
                counts.append(UInt32(count))
            }
            starts.append(numbers.count)
        }
        numbering = [:]
        // Numbered as seen so far; renumbered in the terms' order, and each text's entries put in that order.
        let order = seen.indices.sorted { seen[$0] < seen[$1] }
        var rank = [UInt32](repeating: 0, count: order.count)
        for (place, first) in order.enumerated() { rank[first] = UInt32(place) }
        var entries: [(number: UInt32, count: UInt32)] = []
        for text in 0..<(starts.count - 1) {
            let range = starts[text]..<starts[text + 1]
            entries.removeAll(keepingCapacity: true)
            for index in range { entries.append((rank[Int(numbers[index])], counts[index])) }
            entries.sort { $0.number < $1.number }
            for (index, entry) in zip(range, entries) {
                numbers[index] = entry.number
                counts[index] = entry.count
            }
        }
        self.terms = order.map { seen[$0] }
        self.starts = starts
        self.numbers = numbers
        self.counts = counts
    }

    /// Calls `body` with each distinct term's number and count in text `text`, by number ascending.
    @inline(__always)
    public func forEachTerm(in text: Int, _ body: (_ number: Int, _ count: Int) -> Void) {
        for index in starts[text]..<starts[text + 1] { body(Int(numbers[index]), Int(counts[index])) }
    }
}
