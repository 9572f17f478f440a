import Testing

@testable import CloseloopCore

/// The terms texts are compared and classified by: Chinese by characters and their pairs, English by words without
/// their inflections, numbers whole (issue 14).
@Suite("Text terms")
struct TextTermsTests {
    @Test("Chinese is not split by spaces: every character and every adjacent pair is a term")
    func chinese() {
        let counts = TextTerms.counts(of: "快递没到，快递丢了")
        #expect(counts["快递"] == 2 && counts["快"] == 2 && counts["递"] == 2)
        #expect(counts["递没"] == 1 && counts["没到"] == 1 && counts["丢了"] == 1)
        // A pair never spans punctuation.
        #expect(counts["到快"] == nil)
    }

    @Test(
        "English words meet whatever their inflection; function words and single letters are dropped",
        arguments: [
            ("refunds", "refund"), ("refunded", "refund"), ("charging", "charg"), ("charged", "charg"),
            ("stopped", "stop"), ("companies", "company"), ("classes", "class"), ("class", "class"),
            ("less", "less"), ("quickly", "quick"),
        ])
    func stems(word: String, stem: String) {
        #expect(TextTerms.counts(of: word) == [stem: 1])
    }

    @Test("Numbers stay whole, full-width letters and digits are read as ASCII, the masks of redactions are dropped")
    func numbersAndWidths() {
        let counts = TextTerms.counts(of: "Order ＳＯ２０２６ and SO2026, the XXXX account of a I")
        #expect(counts["so2026"] == 2 && counts["order"] == 1 && counts["account"] == 1)
        #expect(counts["the"] == nil && counts["xxxx"] == nil && counts["a"] == nil && counts["i"] == nil)
    }

    @Test("Mixed text gives both kinds of terms")
    func mixed() {
        let counts = TextTerms.counts(of: "iPhone15屏幕碎了screen broken")
        #expect(counts["iphone15"] == 1 && counts["屏幕"] == 1 && counts["screen"] == 1 && counts["broken"] == 1)
    }
}
