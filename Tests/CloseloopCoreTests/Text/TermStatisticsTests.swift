import Testing

@testable import CloseloopCore

/// How alike two complaints read (issue 14): cosine of TF-IDF vectors, so shared rare words weigh more than shared
/// common ones and length does not matter.
@Suite("Text similarity")
struct TermStatisticsTests {
    static let texts = [
        "东风日产逍客变速箱报故障码", "东风日产逍客变速箱异响", "北京现代悦纳发动机曲轴螺丝断裂", "吉利星越车机系统卡顿严重",
        "一汽大众高尔夫仪表提示变速箱故障",
    ]

    static func statistics() -> TermStatistics {
        var statistics = TermStatistics()
        for text in texts { statistics.add(TextTerms.counts(of: text)) }
        return statistics
    }

    @Test("The same cause reads closer than a shared common word; a text is most like itself")
    func ranking() {
        let statistics = Self.statistics()
        let vectors = Self.texts.map { statistics.vector(TextTerms.counts(of: $0)) }
        let query = vectors[0]
        #expect(abs(query.cosine(query) - 1) < 1e-9)
        #expect(query.cosine(vectors[1]) > query.cosine(vectors[4]))
        #expect(query.cosine(vectors[4]) > query.cosine(vectors[2]))
        #expect(query.cosine(vectors[3]) == 0)
    }

    @Test("Scoring a text against a query without building its vector gives the vectors' cosine")
    func cosineFromCounts() {
        let statistics = Self.statistics()
        let query = statistics.vector(TextTerms.counts(of: Self.texts[0]))
        for text in Self.texts + ["变速箱异响，变速箱异响，变速箱又异响", "", "engine noise at idle"] {
            let counts = TextTerms.counts(of: text)
            #expect(abs(statistics.cosine(query, counts) - query.cosine(statistics.vector(counts))) < 1e-12, "\(text)")
        }
    }

    @Test("The scorer for many candidates gives the same cosine as the vectors, in Chinese, English and mixed text")
    func scorerMatchesVectors() {
        let statistics = Self.statistics()
        let scorer = CandidateScorer(statistics: statistics)
        for queryText in [Self.texts[0], "gearbox fault code 变速箱故障码 P0700"] {
            let vector = statistics.vector(TextTerms.counts(of: queryText))
            let query = scorer.query(vector)
            for text in Self.texts + ["变速箱异响，变速箱异响", "", "Gearbox faults: code P0700 again", "𠀀𠀁 ＡＢＣ１２３"] {
                let expected = vector.cosine(statistics.vector(TextTerms.counts(of: text)))
                #expect(abs(scorer.cosine(query, text) - expected) < 1e-12, "\(queryText) / \(text)")
            }
        }
    }

    @Test("A Han term's key spells it back, and no other term has one")
    func hanKeys() {
        for term in ["变", "变速", "㐀", "龥龥"] {
            let key = TextTerms.hanKey(of: term)
            #expect(key.map(TextTerms.hanTerm) == term)
        }
        for term in ["", "abc", "变速箱", "变a", "1"] { #expect(TextTerms.hanKey(of: term) == nil) }
        var spelled: [String] = []
        TextTerms.forEachTerm(in: "变速箱 refunds") { spelled.append($0) }
        #expect(spelled == ["变", "速", "变速", "箱", "速箱", "refund"])
    }

    @Test("Length does not make a text more alike: the same words twice read the same")
    func lengthFree() {
        let statistics = Self.statistics()
        let once = statistics.vector(TextTerms.counts(of: "变速箱异响"))
        let twice = statistics.vector(TextTerms.counts(of: "变速箱异响，变速箱异响"))
        #expect(abs(once.cosine(twice) - 1) < 1e-9)
    }

    @Test("A term rarer in the collection weighs more in a text")
    func rarerWeighsMore() throws {
        // 逍客 is in two of the five texts, 变速箱 in three.
        let statistics = Self.statistics()
        #expect(statistics.idf("逍客") > statistics.idf("变速"))
        let vector = statistics.vector(TextTerms.counts(of: "逍客变速箱"))
        #expect(try #require(vector.weights["逍客"]) > (try #require(vector.weights["变速"])))
    }
}
