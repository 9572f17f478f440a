import Foundation
import Testing

@testable import CloseloopCore

/// Who reads which figures (SPEC §1, §7), and who starts on a dashboard.
@Suite("Who reads the figures")
struct ReportAccessTests {
    typealias F = LoopFixtures

    @Test(
        "Management, quality and the supervisor read the company's; a department manager only their department's",
        arguments: [
            (F.generalManager, true, true, true), (F.vicePresident, true, true, true), (F.quality, true, true, true),
            (F.supervisor, true, true, true), (F.departmentManager, false, true, false),
            (F.agent, false, false, false), (F.handler, false, false, false), (F.administrator, false, false, false),
        ] as [(StaffMember, Bool, Bool, Bool)])
    func reads(member: StaffMember, company: Bool, afterSales: Bool, logistics: Bool) {
        #expect(ReportAccess.mayRead(nil, by: member) == company)
        #expect(ReportAccess.mayRead(F.afterSales, by: member) == afterSales)
        #expect(ReportAccess.mayRead(F.logistics, by: member) == logistics)
    }

    @Test("Each reader starts on their own figures; the people who work complaints start on their queue")
    func landing() {
        #expect(ReportAccess.landsOnDashboard(F.generalManager))
        #expect(ReportAccess.landsOnDashboard(F.quality))
        #expect(ReportAccess.landsOnDashboard(F.departmentManager))
        #expect(ReportAccess.defaultScope(of: F.departmentManager).department == F.afterSales)
        #expect(!ReportAccess.landsOnDashboard(F.supervisor))
        #expect(!ReportAccess.landsOnDashboard(F.agent))
        #expect(!ReportAccess.defaultScope(of: F.handler).allowed)
    }
}
