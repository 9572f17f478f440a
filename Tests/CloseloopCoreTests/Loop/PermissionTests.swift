import Foundation
import Testing

@testable import CloseloopCore

@Suite("Who may do what (SPEC §1)")
struct PermissionTests {
    typealias F = LoopFixtures

    /// One cell of the permission table: `who` doing `action` on the standard complaint once it is in `state`.
    struct Row: Sendable, CustomTestStringConvertible {
        var who: String
        var actor: Actor
        var action: ActionName
        var state: ComplaintState
        var allowed: Bool

        init(_ who: String, _ actor: Actor, _ allowed: Bool, _ action: ActionName, in state: ComplaintState) {
            self.who = who
            self.actor = actor
            self.action = action
            self.state = state
            self.allowed = allowed
        }

        var testDescription: String { "\(who) \(allowed ? "may" : "may not") \(action.rawValue)" }
    }

    static let agent = Actor.staff(F.agent)
    static let otherAgent = Actor.staff(F.otherAgent)
    static let supervisor = Actor.staff(F.supervisor)
    static let handler = Actor.staff(F.handler)
    static let logisticsHandler = Actor.staff(F.logisticsHandler)
    static let manager = Actor.staff(F.departmentManager)
    static let logisticsManager = Actor.staff(F.logisticsManager)
    static let vicePresident = Actor.staff(F.vicePresident)
    static let generalManager = Actor.staff(F.generalManager)
    static let quality = Actor.staff(F.quality)
    static let administrator = Actor.staff(F.administrator)

    static let table: [Row] = [
        // Intake belongs to the call centre: agents and supervisors.
        Row("an agent", agent, true, .checkCompleteness, in: .received),
        Row("a supervisor", supervisor, true, .checkCompleteness, in: .received),
        Row("a handler", handler, false, .checkCompleteness, in: .received),
        Row("a department manager", manager, false, .checkCompleteness, in: .received),
        Row("a vice-president", vicePresident, false, .checkCompleteness, in: .received),
        Row("quality", quality, false, .checkCompleteness, in: .received),
        Row("an administrator", administrator, false, .checkCompleteness, in: .received),
        Row("the customer", .customer, false, .checkCompleteness, in: .received),
        Row("an agent", agent, true, .decideValidity, in: .received),
        Row("a handler", handler, false, .decideValidity, in: .received),
        Row("the customer", .customer, false, .decideValidity, in: .received),
        Row("the customer", .customer, true, .provideInformation, in: .awaitingInformation),
        Row("an agent", agent, true, .provideInformation, in: .awaitingInformation),
        Row("a handler", handler, false, .provideInformation, in: .awaitingInformation),
        Row("an agent", agent, true, .linkIncident, in: .investigating),
        Row("a handler", handler, false, .linkIncident, in: .investigating),
        // Incidents are opened by supervisors, quality and management, who may link complaints to them.
        Row("quality", quality, true, .linkIncident, in: .investigating),
        // Merging duplicates is the call centre's, who know the customer's calls.
        Row("an agent", agent, true, .merge, in: .investigating),
        Row("a handler", handler, false, .merge, in: .investigating),
        Row("the customer", .customer, false, .merge, in: .investigating),
        // Classification and assignment belong to the supervisor.
        Row("a supervisor", supervisor, true, .assign, in: .validated),
        Row("an agent", agent, false, .assign, in: .validated),
        Row("a department manager", manager, false, .assign, in: .validated),
        Row("the general manager", generalManager, false, .assign, in: .validated),
        Row("the customer", .customer, false, .assign, in: .validated),
        Row("a supervisor", supervisor, true, .reassign, in: .investigating),
        Row("an agent", agent, false, .reassign, in: .investigating),
        Row("a department manager", manager, false, .reassign, in: .investigating),
        Row("a supervisor", supervisor, true, .reclassify, in: .investigating),
        Row("a handler", handler, false, .reclassify, in: .investigating),
        // Department work belongs to the complaint's department only.
        Row("the after-sales handler", handler, true, .submitAnalysis, in: .investigating),
        Row("the after-sales manager", manager, true, .submitAnalysis, in: .investigating),
        Row("a logistics handler", logisticsHandler, false, .submitAnalysis, in: .investigating),
        Row("the logistics manager", logisticsManager, false, .submitAnalysis, in: .investigating),
        Row("an agent", agent, false, .submitAnalysis, in: .investigating),
        Row("a supervisor", supervisor, false, .submitAnalysis, in: .investigating),
        Row("the customer", .customer, false, .submitAnalysis, in: .investigating),
        Row("a logistics handler", logisticsHandler, false, .proposeSolution, in: .investigating),
        Row("the after-sales handler", handler, true, .recordProgress, in: .executing),
        Row("the after-sales manager", manager, true, .recordProgress, in: .executing),
        Row("a logistics handler", logisticsHandler, false, .recordProgress, in: .executing),
        Row("the logistics manager", logisticsManager, false, .recordProgress, in: .executing),
        Row("an agent", agent, false, .recordProgress, in: .executing),
        Row("the after-sales handler", handler, true, .returnResult, in: .executing),
        Row("a logistics handler", logisticsHandler, false, .returnResult, in: .executing),
        // The customer's own few actions; the owner and call centre act for them too.
        Row("the customer", .customer, true, .respondToProposal, in: .proposed),
        Row("the owner", agent, true, .respondToProposal, in: .proposed),
        Row("a handler", handler, false, .respondToProposal, in: .proposed),
        Row("the customer", .customer, true, .verify, in: .verifying),
        Row("the owner", agent, true, .verify, in: .verifying),
        Row("a handler", handler, false, .verify, in: .verifying),
        Row("the customer", .customer, true, .reopen, in: .closed),
        Row("a handler", handler, false, .reopen, in: .closed),
        Row("the customer", .customer, false, .recordContact, in: .investigating),
        Row("the customer", .customer, false, .close, in: .awaitingCountersign),
        Row("the customer", .customer, false, .addNote, in: .investigating),
        Row("the customer", .customer, false, .requestDelay, in: .investigating),
        Row("the customer", .customer, false, .writeCase, in: .closed),
        // Closing is countersigned by the supervisor.
        Row("the owner", agent, true, .recordReturnVisit, in: .returnVisit),
        Row("a handler", handler, false, .recordReturnVisit, in: .returnVisit),
        Row("a supervisor", supervisor, true, .close, in: .awaitingCountersign),
        Row("an agent", agent, false, .close, in: .awaitingCountersign),
        Row("a department manager", manager, false, .close, in: .awaitingCountersign),
        // Delays: the people working the complaint ask, an approver decides.
        Row("the owner", agent, true, .requestDelay, in: .investigating),
        Row("another agent", otherAgent, true, .requestDelay, in: .investigating),
        Row("the after-sales handler", handler, true, .requestDelay, in: .investigating),
        Row("a logistics handler", logisticsHandler, false, .requestDelay, in: .investigating),
        Row("quality", quality, false, .requestDelay, in: .investigating),
        Row("the after-sales manager", manager, true, .decideDelay, in: .investigating),
        Row("a vice-president", vicePresident, true, .decideDelay, in: .investigating),
        Row("the general manager", generalManager, true, .decideDelay, in: .investigating),
        Row("the logistics manager", logisticsManager, false, .decideDelay, in: .investigating),
        Row("a supervisor", supervisor, false, .decideDelay, in: .investigating),
        Row("an agent", agent, false, .decideDelay, in: .investigating),
        // Notes, case library and archive.
        Row("quality", quality, true, .addNote, in: .investigating),
        Row("a logistics handler", logisticsHandler, true, .addNote, in: .investigating),
        Row("quality", quality, true, .writeCase, in: .closed),
        Row("a supervisor", supervisor, true, .writeCase, in: .closed),
        Row("a handler", handler, false, .writeCase, in: .closed),
        Row("an administrator", administrator, false, .writeCase, in: .closed),
        Row("quality", quality, true, .archive, in: .closed),
        Row("a supervisor", supervisor, true, .archive, in: .closed),
        Row("an administrator", administrator, true, .archive, in: .closed),
        Row("an agent", agent, false, .archive, in: .closed),
        Row("a handler", handler, false, .archive, in: .closed),
        // A message is the customer's own words: staff write notes instead, even the owner and a supervisor.
        Row("the owner", agent, false, .receiveMessage, in: .investigating),
        Row("a supervisor", supervisor, false, .receiveMessage, in: .investigating),
        Row("the owner", agent, false, .recordCustomerUpdate, in: .investigating),
        Row("the owner", agent, false, .setUpdatePreference, in: .investigating),
    ]

    @Test("The permission table: allowed actions go through, the rest fail with action.not_allowed", arguments: table)
    func permissionTable(row: Row) throws {
        var story = try ComplaintStory.reaching(row.state)
        if row.action == .decideDelay {
            try story.perform(
                .requestDelay(reason: "客户出差", until: F.instant("2026-05-01T09:00:00+08:00")),
                by: .staff(F.agent)
            )
        }
        if row.action == .decideValidity {
            try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
        }
        if row.action == .proposeSolution { try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler)) }
        if row.action == .returnResult {
            try story.perform(.recordProgress(note: "已完成", workFinished: true, evidence: []), by: .staff(F.handler))
        }
        let error = story.error(of: F.sample(row.action, now: story.nextInstant), by: row.actor)
        if row.allowed {
            #expect(error == nil, "\(String(describing: error))")
        } else {
            #expect(error == .notAllowed(action: row.action))
            #expect(error?.code == "action.not_allowed")
        }
    }

    @Test("Only the customer's own six actions are open to them", arguments: ActionName.allCases)
    func customerActions(action: ActionName) throws {
        let expected: Set<ActionName> = [
            .provideInformation, .respondToProposal, .verify, .reopen, .receiveMessage, .setUpdatePreference,
        ]
        #expect(ActionPermission.customerActions == expected)
        let complaint = try ComplaintStory.reaching(.investigating).complaint
        let refused = F.error { () throws(DomainError) in
            try ActionPermission.authorize(action, by: .customer, on: complaint)
        }
        #expect((refused == nil) == expected.contains(action))
    }

    @Test("A customer never adds notes, least of all internal ones", arguments: [true, false])
    func customerNotes(isInternal: Bool) throws {
        let story = try ComplaintStory.reaching(.investigating)
        #expect(
            story.error(of: .addNote(text: "我要投诉到消协", isInternal: isInternal), by: .customer)
                == .notAllowed(action: .addNote)
        )
    }

    @Test("A customer's own confirmation carries their score; staff recording a satisfied verification must give one")
    func verifyScore() throws {
        let story = try ComplaintStory.reaching(.verifying)
        let unscored = ComplaintAction.verify(solved: true, satisfied: true, score: nil, note: "好")
        #expect(story.error(of: unscored, by: .customer) == .validation([.required("score")]))
        let unhappy = ComplaintAction.verify(solved: false, satisfied: false, score: nil, note: "没修好")
        #expect(story.error(of: unhappy, by: .customer) == .validation([.required("score")]))
        #expect(story.error(of: unscored, by: .staff(F.agent)) == .validation([.required("score")]))
        #expect(story.error(of: unhappy, by: .staff(F.agent)) == nil)
        let scored = ComplaintAction.verify(solved: true, satisfied: true, score: 5, note: "好")
        #expect(story.error(of: scored, by: .customer) == nil)
    }

    @Test("The owner may contact and verify with the customer even without a call-centre role")
    func ownerWithoutIntakeRole() throws {
        var story = try ComplaintStory.reaching(.validated)
        try story.perform(.assign(F.assignment(owner: F.handler.id)), by: .staff(F.supervisor))
        #expect(story.error(of: F.sample(.recordContact, now: story.nextInstant), by: .staff(F.handler)) == nil)
        #expect(
            story.error(of: F.sample(.recordContact, now: story.nextInstant), by: .staff(F.logisticsHandler))
                == .notAllowed(action: .recordContact)
        )
        #expect(ActionPermission.needsPersonalData(F.handler, story.complaint))
        #expect(!ActionPermission.needsPersonalData(F.logisticsHandler, story.complaint))
    }

    @Test("The system's own clocks may act without roles")
    func systemActor() throws {
        let story = try ComplaintStory.reaching(.investigating)
        #expect(story.error(of: F.sample(.recordContact, now: story.nextInstant), by: .system) == nil)
    }

    @Test("Any member of staff not recused reads internal notes; the customer's phone is for intake and the owner")
    func readingRights() throws {
        let complaint = try ComplaintStory.reaching(.investigating).complaint
        for member in [F.agent, F.handler, F.logisticsManager, F.quality] {
            #expect(ActionPermission.mayReadInternalNotes(member, complaint), "\(member.displayName)")
        }
        let nobody = StaffMember(id: UserID("temp"), displayName: "临时工", grants: [])
        #expect(!ActionPermission.mayReadInternalNotes(nobody, complaint))
        #expect(ActionPermission.needsPersonalData(F.agent, complaint))
        #expect(ActionPermission.needsPersonalData(F.supervisor, complaint))
        #expect(!ActionPermission.needsPersonalData(F.handler, complaint))
        #expect(!ActionPermission.needsPersonalData(F.quality, complaint))
    }

    // MARK: availableActions agrees with apply

    /// Complaints at every point of the loop, plus a request and one with a pending delay.
    static let stages: [String] =
        ComplaintState.allCases.map(\.rawValue) + [
            "received and checked", "inquiry received", "investigating with a delay pending",
            "investigating with analysis",
        ]

    static func story(at stage: String) throws -> ComplaintStory {
        if let state = ComplaintState(rawValue: stage) { return try ComplaintStory.reaching(state) }
        switch stage {
        case "received and checked":
            var story = try ComplaintStory.reaching(.received)
            try story.perform(F.sample(.checkCompleteness, now: story.nextInstant), by: .staff(F.agent))
            return story
        case "inquiry received":
            return try ComplaintStory(F.intake(kind: .inquiry))
        case "investigating with a delay pending":
            var story = try ComplaintStory.reaching(.investigating)
            try story.perform(
                .requestDelay(reason: "客户出差", until: F.instant("2026-05-01T09:00:00+08:00")),
                by: .staff(F.agent)
            )
            return story
        default:
            var story = try ComplaintStory.reaching(.investigating)
            try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
            return story
        }
    }

    static let roster: [(String, Actor)] = [
        ("agent", agent), ("other agent", otherAgent), ("supervisor", supervisor), ("handler", handler),
        ("logistics handler", logisticsHandler), ("manager", manager), ("logistics manager", logisticsManager),
        ("vice-president", vicePresident), ("general manager", generalManager), ("quality", quality),
        ("administrator", administrator), ("everything", .staff(F.everything)), ("customer", .customer),
    ]

    @Test("availableActions lists exactly the actions apply accepts", arguments: stages)
    func availableActionsMatchApply(stage: String) throws {
        let story = try Self.story(at: stage)
        var mismatches: [String] = []
        var knownMismatches: [String] = []
        for (who, actor) in Self.roster {
            let available = Set(story.workflow.availableActions(on: story.complaint, for: actor))
            for action in ActionName.allCases {
                let error = story.error(of: F.sample(action, now: story.nextInstant), by: actor)
                guard available.contains(action) != (error == nil) else { continue }
                let line =
                    "\(who) / \(action.rawValue): offered \(available.contains(action)), \(String(describing: error))"
                if action == .decideValidity && !story.complaint.completenessConfirmed {
                    knownMismatches.append(line)
                } else {
                    mismatches.append(line)
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(knownMismatches.isEmpty, "\(knownMismatches.joined(separator: "\n"))")
    }
}
