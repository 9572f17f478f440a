import Foundation
import Testing

@testable import CloseloopCore

/// The spot-check checklist: one weighted score from every item, and the text an administrator edits.
@Suite("Quality checklist")
struct QualityChecklistTests {
    @Test("Each item scores 0–100, weighted into one score; every item must be scored")
    func total() throws {
        let checklist = QualityChecklist.standard
        // 25 % × 100 + 25 % × 80 + 30 % × 60 + 20 % × 90 = 81
        #expect(try checklist.total(of: ["first_contact": 100, "explanation": 80, "solution": 60, "record": 90]) == 81)
        #expect(throws: DomainError.validation([.required("score.record")])) {
            try checklist.total(of: ["first_contact": 100, "explanation": 80, "solution": 60])
        }
        let error = #expect(throws: DomainError.self) {
            try checklist.total(of: ["first_contact": 101, "explanation": -1, "solution": 60, "record": 90])
        }
        guard case .validation(let issues)? = error else { return }
        #expect(issues.map(\.field) == ["score.first_contact", "score.explanation"])
    }

    @Test("The administrator's text reads back, and every mistake is named")
    func text() {
        let (read, problems) = QualityChecklist.parse(QualityChecklist.standard.text)
        #expect(problems.isEmpty)
        #expect(read == .standard)
        let (bad, found) = QualityChecklist.parse("sample: 0\nA B | 名称 | name | 0\nonly | two")
        #expect(bad == nil)
        #expect(found.count == 4, "\(found)")
        #expect(QualityChecklist.parse("first | 一 | one | 10").1.contains("the first line must be sample: N"))
    }
}
