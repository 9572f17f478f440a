import Foundation
import Testing

@testable import CloseloopCore

/// Complaints alike arriving together (群诉, SPEC §2): a burst needs the rule's count of complaints that read alike
/// enough, the newest included; the rule is a setting with limits, and a policy saved before it existed keeps working.
@Suite("Burst rule")
struct BurstRuleTests {
    let rule = BurstRule(count: 4, windowMinutes: 120, minimumScore: 0.3)

    @Test("Enough complaints alike make a burst, the newest last; fewer, or less alike, do not")
    func grouping() {
        let alike = [("a", 0.8), ("b", 0.5), ("c", 0.31), ("d", 0.29)].map { (id: $0.0, score: $0.1) }
        #expect(rule.group(of: "new", among: alike) == ["a", "b", "c", "new"])
        #expect(rule.group(of: "new", among: Array(alike.prefix(2))) == nil)
        #expect(rule.group(of: "new", among: alike.map { (id: $0.id, score: 0.2) }) == nil)
        var off = rule
        off.enabled = false
        #expect(off.group(of: "new", among: alike) == nil)
    }

    @Test("The complaint itself among the alike is not counted twice")
    func selfNotTwice() {
        let alike = [("new", 1.0), ("a", 0.9), ("b", 0.9)].map { (id: $0.0, score: $0.1) }
        #expect(rule.group(of: "new", among: alike) == nil)
    }

    @Test("Limits are checked; the standard is ten within two hours")
    func limits() {
        #expect(BurstRule.standard.count == 10 && BurstRule.standard.windowMinutes == 120)
        #expect(BurstRule.standard.problems().isEmpty)
        #expect(BurstRule(count: 2, windowMinutes: 5, minimumScore: 0.99).problems().count == 3)
    }

    @Test("An alert policy saved before the burst rule existed reads with the standard rule")
    func olderPolicy() throws {
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(AlertPolicy.standard)) as! [String: Any]
        json["burst"] = nil
        json["dailyReportAt"] = nil
        let read = try JSONDecoder().decode(AlertPolicy.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(read == AlertPolicy.standard)
    }
}
