import Foundation
import Testing

@testable import CloseloopCore

@Suite("The authority matrix (核决权限) routes proposals to the right approver")
struct AuthorityTests {
    typealias F = LoopFixtures

    /// A proposal of `amount` by `proposer` and the approver it needs, nil when the proposer's authority covers it.
    struct Routing: Sendable, CustomTestStringConvertible {
        var proposer: StaffMember
        var amount: Money
        var approver: Role?
        var testDescription: String {
            "\(proposer.displayName) proposes ¥\(amount) → \(approver?.rawValue ?? "no approval")"
        }
    }

    static let routings: [Routing] = [
        // A handler's limit is ¥200.
        Routing(proposer: F.handler, amount: Money(minorUnits: 1), approver: nil),
        Routing(proposer: F.handler, amount: Money(decimal: "199.99")!, approver: nil),
        Routing(proposer: F.handler, amount: .yuan(200), approver: nil),
        Routing(proposer: F.handler, amount: Money(decimal: "200.01")!, approver: .supervisor),
        // A supervisor's ¥500.
        Routing(proposer: F.handler, amount: Money(decimal: "499.99")!, approver: .supervisor),
        Routing(proposer: F.handler, amount: .yuan(500), approver: .supervisor),
        Routing(proposer: F.handler, amount: Money(decimal: "500.01")!, approver: .departmentManager),
        // A department manager's ¥2,000.
        Routing(proposer: F.handler, amount: Money(decimal: "1999.99")!, approver: .departmentManager),
        Routing(proposer: F.handler, amount: .yuan(2_000), approver: .departmentManager),
        Routing(proposer: F.handler, amount: Money(decimal: "2000.01")!, approver: .vicePresident),
        // A vice-president's ¥10,000; above it only the general manager.
        Routing(proposer: F.handler, amount: Money(decimal: "9999.99")!, approver: .vicePresident),
        Routing(proposer: F.handler, amount: .yuan(10_000), approver: .vicePresident),
        Routing(proposer: F.handler, amount: Money(decimal: "10000.01")!, approver: .generalManager),
        Routing(proposer: F.handler, amount: .yuan(1_000_000), approver: .generalManager),
        // A department manager proposing within their own authority needs nobody.
        Routing(proposer: F.departmentManager, amount: .yuan(2_000), approver: nil),
        Routing(proposer: F.departmentManager, amount: Money(decimal: "2000.01")!, approver: .vicePresident),
    ]

    @Test("A proposal needs the lowest level of the chain that covers its amount", arguments: routings)
    func routing(routing: Routing) throws {
        var story = try ComplaintStory.reaching(.investigating)
        try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
        let events = try story.perform(
            .proposeSolution(types: [.compensation], description: "现金补偿", compensation: routing.amount),
            by: .staff(routing.proposer)
        )
        guard case .solutionProposed(let proposal) = events.first?.change else {
            Issue.record("no proposal recorded")
            return
        }
        #expect(proposal.requiredApprover == routing.approver)
        #expect(story.complaint.state == (routing.approver == nil ? .proposed : .awaitingApproval))
    }

    @Test("Proposals without money need no approval", arguments: [nil, Money.zero])
    func noMoney(compensation: Money?) throws {
        var story = try ComplaintStory.reaching(.investigating)
        try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
        try story.perform(
            .proposeSolution(types: [.apology, .repair], description: "上门修复", compensation: compensation),
            by: .staff(F.handler)
        )
        #expect(story.complaint.proposal?.requiredApprover == nil)
        #expect(story.complaint.state == .proposed)
    }

    @Test(
        "Each role's own limit, at, just below and just above it",
        arguments: [
            (Role.handler, "200"), (.supervisor, "500"), (.departmentManager, "2000"), (.vicePresident, "10000"),
        ]
    )
    func limits(role: Role, limit: String) throws {
        let matrix = AuthorityMatrix.standard
        let atLimit = try #require(Money(decimal: limit))
        #expect(matrix.covers(role, atLimit))
        #expect(matrix.covers(role, Money(minorUnits: atLimit.minorUnits - 1)))
        #expect(!matrix.covers(role, Money(minorUnits: atLimit.minorUnits + 1)))
    }

    @Test("The general manager's authority has no limit; agents, quality and administrators grant nothing")
    func unlimitedAndNone() {
        let matrix = AuthorityMatrix.standard
        #expect(matrix.covers(.generalManager, .yuan(100_000_000)))
        #expect(matrix.covers(.agent, .zero))
        #expect(!matrix.covers(.agent, Money(minorUnits: 1)))
        #expect(!matrix.covers(.quality, Money(minorUnits: 1)))
        #expect(!matrix.covers(.administrator, Money(minorUnits: 1)))
        #expect(matrix.chain == [.supervisor, .departmentManager, .vicePresident, .generalManager])
    }

    // MARK: Approving

    /// Who decides a ¥1,000 proposal, which needs the after-sales department manager, and what happens.
    static let approvers: [(StaffMember, String?)] = [
        (F.departmentManager, nil),
        (F.vicePresident, nil),
        (F.generalManager, nil),
        (F.supervisor, "approval.insufficient_authority"),
        (F.logisticsManager, "action.not_allowed"),
        (F.handler, "action.not_allowed"),
        (F.agent, "action.not_allowed"),
        (F.quality, "action.not_allowed"),
    ]

    @Test("A proposal is approved at its level or above, in the complaint's own department", arguments: approvers)
    func approval(member: StaffMember, code: String?) throws {
        let story = try ComplaintStory.reaching(.awaitingApproval)
        #expect(story.complaint.proposal?.requiredApprover == .departmentManager)
        let error = story.error(of: .decideApproval(approved: true, comment: "同意"), by: .staff(member))
        #expect(error?.code == code)
        if code == "approval.insufficient_authority" {
            #expect(error == .insufficientAuthority(required: .departmentManager))
        }
        let offered = story.workflow.availableActions(on: story.complaint, for: .staff(member))
        #expect(offered.contains(.decideApproval) == (code == nil))
    }

    @Test("A department manager of another department who also holds a company-wide supervisor role still cannot")
    func scopedManagerWithGlobalSupervisor() throws {
        let story = try ComplaintStory.reaching(.awaitingApproval)
        let member = StaffMember(
            id: UserID("wu.fang"),
            displayName: "吴芳",
            grants: [RoleGrant(.departmentManager, in: F.logistics), RoleGrant(.supervisor)]
        )
        #expect(
            story.error(of: .decideApproval(approved: true, comment: "同意"), by: .staff(member))
                == .insufficientAuthority(required: .departmentManager)
        )
    }

    // MARK: Custom matrices

    /// A company without supervisors in the chain: ¥100 for handlers, ¥5,000 for department managers, then the GM.
    static let lean = AuthorityMatrix(
        limits: [.handler: .yuan(100), .departmentManager: .yuan(5_000), .generalManager: nil],
        chain: [.departmentManager, .generalManager]
    )

    @Test(
        "A custom chain and limits change the routing",
        arguments: [
            ("100", nil), ("100.01", Role.departmentManager), ("5000", .departmentManager),
            ("5000.01", .generalManager),
        ]
    )
    func customRouting(amount: String, approver: Role?) throws {
        var policy = ServicePolicy.standard
        policy.authority = Self.lean
        var story = try ComplaintStory.reaching(.investigating, policy: policy)
        try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
        try story.perform(
            .proposeSolution(types: [.compensation], description: "补偿", compensation: Money(decimal: amount)),
            by: .staff(F.handler)
        )
        #expect(story.complaint.proposal?.requiredApprover == approver)
    }

    @Test("Under a chain without supervisors, a supervisor cannot approve anything")
    func customChainSupervisor() throws {
        var policy = ServicePolicy.standard
        policy.authority = Self.lean
        var story = try ComplaintStory.reaching(.investigating, policy: policy)
        try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
        try story.perform(
            .proposeSolution(types: [.compensation], description: "补偿", compensation: .yuan(300)),
            by: .staff(F.handler)
        )
        #expect(
            story.error(of: .decideApproval(approved: true, comment: "同意"), by: .staff(F.supervisor))
                == .insufficientAuthority(required: .departmentManager)
        )
        #expect(story.error(of: .decideApproval(approved: true, comment: "同意"), by: .staff(F.departmentManager)) == nil)
    }

    @Test("When no level of a capped chain covers the amount, the top of the chain decides")
    func beyondEveryLimit() {
        let capped = AuthorityMatrix(
            limits: [.supervisor: .yuan(500), .departmentManager: .yuan(2_000)],
            chain: [.supervisor, .departmentManager]
        )
        #expect(capped.approver(for: .yuan(3_000)) == .departmentManager)
        #expect(capped.approver(for: .yuan(400)) == .supervisor)
        #expect(AuthorityMatrix(limits: [:], chain: []).approver(for: .yuan(1)) == nil)
    }

    @Test(
        "A matrix's configuration problems",
        arguments: [
            (AuthorityMatrix.standard, 0),
            (AuthorityMatrix(limits: [:], chain: []), 1),
            (AuthorityMatrix(limits: [:], chain: [.supervisor, .supervisor]), 1),
            (AuthorityMatrix(limits: [.handler: Money(minorUnits: -1)], chain: [.supervisor]), 1),
        ]
    )
    func matrixProblems(matrix: AuthorityMatrix, count: Int) {
        #expect(matrix.problems().count == count, "\(matrix.problems())")
    }
}
