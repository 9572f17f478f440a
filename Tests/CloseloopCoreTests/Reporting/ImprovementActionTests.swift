import Foundation
import Testing

@testable import CloseloopCore

/// Who moves an improvement action along, and to where.
@Suite("Improvement action steps")
struct ImprovementActionStepTests {
    typealias F = LoopFixtures

    static let action = ImprovementAction(
        id: "IA-2026-001", title: "加装减震垫", description: "", source: .hotspot("室外机异响"), department: F.afterSales,
        owner: F.handler.id, due: LocalDate(year: 2026, month: 4, day: 30), createdBy: F.quality.id,
        createdAt: F.instant(F.mondayMorning), updatedAt: F.instant(F.mondayMorning))

    @Test("The owner (or the department manager) starts and finishes, with what was done")
    func doer() throws {
        let started = try Self.action.after(.start, by: F.handler, note: "")
        #expect(started.status == .inProgress)
        #expect(throws: DomainError.validation([.required("note")])) {
            try started.after(.finish, by: F.handler, note: " ")
        }
        let done = try started.after(.finish, by: F.departmentManager, note: "已加装")
        #expect(done.status == .done && done.result == "已加装")
        #expect(Self.action.steps(for: F.handler) == [.start, .finish])
        #expect(Self.action.steps(for: F.agent).isEmpty)
    }

    @Test("Someone other than the owner verifies it or sends it back with a reason")
    func checker() throws {
        let done = try Self.action.after(.finish, by: F.handler, note: "已加装")
        #expect(done.steps(for: F.handler).isEmpty, "the owner does not verify their own work")
        #expect(done.steps(for: F.quality) == [.verify, .reject])
        #expect(try done.after(.verify, by: F.quality, note: "").status == .verified)
        let back = try done.after(.reject, by: F.quality, note: "仍有异响投诉")
        #expect(back.status == .inProgress)
        #expect(ImprovementAction.Source(code: Self.action.source.code) == Self.action.source)
    }
}
