import Foundation
import Testing

@testable import CloseloopCore

/// The recurring phrases of a period's complaints (高频问题), found in Chinese without a dictionary and in English.
@Suite("Recurring phrases")
struct RecurringPhrasesTests {
    static let texts = [
        "快递员把冰箱放在楼下就走了，冰箱门有凹痕",
        "冰箱门凹了一块，快递员不肯搬上楼",
        "送来的冰箱门凹陷，要求换货",
        "空调不制冷，师傅上门两次都没修好",
        "The courier left the fridge outside and the door is dented",
        "Courier refused to carry the fridge upstairs",
    ]

    @Test("Runs that recur are found once per complaint, the longest form kept, function words left out")
    func chinese() {
        let top = RecurringPhrases.top(in: Self.texts, limit: 10)
        let byText = Dictionary(uniqueKeysWithValues: top.map { ($0.text, $0.count) })
        #expect(byText["冰箱门"] == 3)
        #expect(byText["快递员"] == 2)
        // 冰箱 alone is mostly inside 冰箱门, and 快递 inside 快递员: the parts are not listed on their own.
        #expect(byText["冰箱"] == nil && byText["快递"] == nil)
        #expect(byText["courier"] == 2 && byText["fridge"] == 2)
        #expect(byText["the"] == nil && byText["没有"] == nil)
        #expect(top.first?.text == "冰箱门")
        #expect(!top.contains { $0.count < 2 }, "a phrase seen once is not recurring")
    }

    @Test("Earlier periods are counted for the same phrases, once per text, case aside")
    func counts() {
        let counts = RecurringPhrases.counts(of: ["冰箱门", "courier"], in: Self.texts + ["COURIER late again"])
        #expect(counts["冰箱门"] == 3 && counts["courier"] == 3)
    }
}

extension RecurringPhrasesTests {
    @Test("A sentence repeated word for word is one phrase, not its overlapping pieces")
    func repeatedSentence() {
        let texts = (0..<5).map { "第\($0)次：空调开机一小时室温仍在高位，怀疑缺氟" } + ["冰箱不制冷", "冰箱不制冷了"]
        let top = RecurringPhrases.top(in: texts, limit: 5)
        #expect(top.first?.text == "空调开机一小时室温仍在高位")
        #expect(top.first?.count == 5)
        #expect(!top.contains { $0.text == "机一小时" || $0.text == "小时室温" })
        #expect(top.contains { $0.text == "冰箱不制冷" && $0.count == 2 })
    }
}
