import Testing

@testable import CloseloopCore

/// The compact form training reads texts in: each term once, numbered in the terms' order, and each text's terms
/// with their counts, in that order.
@Suite("Term corpus")
struct TermCorpusTests {
    static func entries(_ corpus: TermCorpus, _ text: Int) -> [(String, Int)] {
        var entries: [(String, Int)] = []
        corpus.forEachTerm(in: text) { number, count in entries.append((corpus.terms[number], count)) }
        return entries
    }

    @Test("Each term is kept once, numbered in sorted order; each text keeps its terms' counts, in that order")
    func numbering() {
        let texts = ["退款退款没到", "Refund refunded, still no refund", "", "快递没到"]
        let corpus = TermCorpus(texts: texts)
        #expect(corpus.count == 4)
        #expect(corpus.terms == corpus.terms.sorted() && Set(corpus.terms).count == corpus.terms.count)
        for (text, words) in texts.enumerated() {
            let expected = TextTerms.counts(of: words).sorted { $0.key < $1.key }
            let read = Self.entries(corpus, text)
            #expect(read.map(\.0) == expected.map(\.key))
            #expect(read.map(\.1) == expected.map(\.value))
        }
        #expect(Self.entries(corpus, 0).first { $0.0 == "退款" }?.1 == 2)
        #expect(Self.entries(corpus, 1).first { $0.0 == "refund" }?.1 == 3)
        #expect(Self.entries(corpus, 2).isEmpty)
    }

    @Test("Nothing to read gives an empty corpus")
    func empty() {
        let corpus = TermCorpus([])
        #expect(corpus.count == 0 && corpus.terms.isEmpty)
    }
}
