import Foundation
import Testing

@testable import CloseloopCore

@Suite("Validation reports every failing field at once")
struct ValidationTests {
    typealias F = LoopFixtures

    // MARK: Intake

    @Test("The standard intake has no problems")
    func validIntake() {
        #expect(F.intake().problems().isEmpty)
    }

    @Test("A blank intake lists the name, subject, description and missing contact together")
    func blankIntake() throws {
        let intake = Intake(
            channel: .web,
            customer: CustomerDetails(name: "  ", phone: " ", email: nil),
            subject: "",
            description: "\n"
        )
        let problems = intake.problems()
        #expect(problems.map(\.field) == ["customer.name", "subject", "description", "customer.phone"])
        #expect(problems.map(\.code) == ["required", "required", "required", "contact_required"])
        let error = F.error { () throws(DomainError) in
            try Workflow(policy: .standard).receive(
                intake,
                id: ComplaintID("c-2"),
                number: "260413002",
                at: F.instant(F.mondayMorning),
                by: .customer
            )
        }
        #expect(error == .validation(problems))
        #expect(error?.code == "validation.failed")
    }

    @Test("A bad phone, a bad email and a subject too long are all reported")
    func badContactAndLongSubject() {
        var intake = F.intake()
        intake.customer.phone = "138-1234-567a"
        intake.customer.email = "zhang.wei@example"
        intake.subject = String(repeating: "破", count: Intake.Limits.subject + 1)
        let problems = intake.problems()
        #expect(problems.map(\.field) == ["subject", "customer.phone", "customer.email"])
        #expect(problems.map(\.code) == ["too_long", "invalid", "invalid"])
    }

    @Test("A subject of exactly the limit is fine; surrounding whitespace does not count")
    func subjectAtLimit() {
        var intake = F.intake()
        intake.subject = "  " + String(repeating: "破", count: Intake.Limits.subject) + "  "
        #expect(intake.problems().isEmpty)
    }

    static let contacts: [(phone: String?, email: String?)] = [("13812345678", nil), (nil, "li@example.cn")]

    @Test("Either a phone or an email is enough", arguments: contacts)
    func eitherContact(phone: String?, email: String?) {
        var intake = F.intake()
        intake.customer.phone = phone
        intake.customer.email = email
        #expect(intake.problems().isEmpty)
    }

    static let phoneNumbers: [(String, Bool)] = [
        ("13812345678", true), ("138 1234 5678", true), ("199-0000-1111", true), ("+86 138 1234 5678", true),
        ("+8613812345678", true), ("010-12345678", true), ("0755 1234 5678", true), ("(021) 6888 8888", true),
        ("400-800-1234", true), ("800 820 8820", true), ("+44 20 7946 0958", true), ("+1 (415) 555-0100", true),
        ("12812345678", false), ("1381234567", false), ("138123456789", false), ("138-1234-567a", false),
        ("abc", false), ("+", false), ("++8613812345678", false), ("400-800-123", false), ("123456", false),
        ("+12345", false), ("１３８１２３４５６７８", false), ("138.1234.5678", false),
    ]

    @Test(
        "Phone numbers: mainland mobiles, +86, landlines with area code, 400/800 lines, international",
        arguments: phoneNumbers
    )
    func phones(phone: String, valid: Bool) {
        #expect(ContactFormat.isPhone(phone) == valid)
    }

    @Test(
        "A mainland landline in international form, without the trunk 0, is a valid phone",
        arguments: ["+86 10 6552 9988", "+86 755 8888 6666", "+86-21-6888-8888"]
    )
    func internationalLandline(phone: String) {
        #expect(ContactFormat.isPhone(phone))
    }

    static let emailAddresses: [(String, Bool)] = [
        ("zhang.wei@example.cn", true), ("li+complaints@mail.example.com.cn", true), ("客户@例子.中国", true),
        ("a@b.co", true), ("zhang.wei@example", false), ("@example.cn", false), ("zhang@@example.cn", false),
        ("zhang wei@example.cn", false), ("zhang@example..cn", false), ("zhang@.example.cn", false),
        ("zhang@-example.cn", false), ("zhang@example.cn,li@example.cn", false), ("zhang@example.cn;", false),
        ("zhang.wei", false), ("", false),
    ]

    @Test("Email addresses", arguments: emailAddresses)
    func emails(email: String, valid: Bool) {
        #expect(ContactFormat.isEmail(email) == valid)
    }

    // MARK: Actions

    /// An action with bad input, where it applies, and the fields it must name.
    static let badActions: [(String, ComplaintAction, ComplaintState, [FieldIssue])] = [
        (
            "an approval rejected without comment", .decideApproval(approved: false, comment: " "), .awaitingApproval,
            [.required("comment")]
        ),
        (
            "a proposal rejected by the customer without comment", .respondToProposal(accepted: false, comment: ""),
            .proposed, [.required("comment")]
        ),
        (
            "a satisfaction score of 0", .verify(solved: true, satisfied: true, score: 0, note: ""), .verifying,
            [.invalid("score", zh: "满意度须为 1 到 5", en: "must be between 1 and 5")]
        ),
        (
            "a satisfaction score of 6", .verify(solved: false, satisfied: false, score: 6, note: ""), .verifying,
            [.invalid("score", zh: "满意度须为 1 到 5", en: "must be between 1 and 5")]
        ),
        (
            "compensation without an amount",
            .proposeSolution(types: [.compensation], description: "补偿", compensation: nil), .investigating,
            [.required("compensation")]
        ),
        (
            "compensation of ¥0", .proposeSolution(types: [.compensation], description: "补偿", compensation: .zero),
            .investigating, [.required("compensation")]
        ),
        (
            "a proposal with nothing in it", .proposeSolution(types: [], description: "", compensation: nil),
            .investigating, [.required("types"), .required("description")]
        ),
        (
            "a negative compensation",
            .proposeSolution(types: [.refund], description: "退款", compensation: Money(minorUnits: -100)),
            .investigating, [.invalid("compensation", zh: "金额不能为负数", en: "cannot be negative")]
        ),
        (
            "a delay until a past instant",
            .requestDelay(reason: "联系不上", until: F.instant("2026-04-01T09:00:00+08:00")), .investigating,
            [.invalid("until", zh: "须晚于当前时间", en: "must be in the future")]
        ),
        (
            "a delay with neither reason nor future",
            .requestDelay(reason: "", until: F.instant("2026-04-01T09:00:00+08:00")), .investigating,
            [.required("reason"), .invalid("until", zh: "须晚于当前时间", en: "must be in the future")]
        ),
        (
            "an analysis without type or findings",
            .submitAnalysis(
                .init(problemType: "", rootCause: .other, technical: false, findings: " ", suggestedSolution: "")
            ),
            .investigating, [.required("problemType"), .required("findings")]
        ),
        (
            "an assignment without category",
            .assign(
                .init(
                    category: " ",
                    priority: .p2,
                    severity: .dissatisfied,
                    department: F.afterSales,
                    owner: F.agent.id
                )
            ),
            .validated, [.required("category")]
        ),
        (
            "a reassignment naming nobody, without reason",
            .reassign(department: nil, owner: nil, handler: nil, reason: ""),
            .investigating, [.required("owner"), .required("reason")]
        ),
        (
            "a reclassification changing nothing",
            .reclassify(category: nil, subcategory: nil, priority: nil, severity: nil, reason: "复核"), .investigating,
            [.required("priority")]
        ),
        (
            "progress with neither note nor evidence", .recordProgress(note: "", workFinished: false, evidence: []),
            .executing, [.required("note")]
        ),
        ("a result without summary", .returnResult(summary: "", attachments: []), .executing, [.required("summary")]),
        ("a return visit without notes", .recordReturnVisit(notes: "\t"), .returnVisit, [.required("notes")]),
        ("an empty note", .addNote(text: "", isInternal: false), .investigating, [.required("text")]),
        ("an empty incident", .linkIncident(incident: " "), .investigating, [.required("incident")]),
        (
            "a delay rejected without comment", .decideDelay(approved: false, comment: ""), .investigating,
            [.required("comment")]
        ),
        (
            "a case write-up without its parts",
            .writeCase(.init(cause: "", handling: "", lesson: "", prevention: "")), .closed,
            [.required("cause"), .required("handling"), .required("lesson")]
        ),
    ]

    @Test("Bad input to an action fails with validation.failed naming every failing field", arguments: badActions)
    func badAction(what: String, action: ComplaintAction, state: ComplaintState, issues: [FieldIssue]) throws {
        var story = try ComplaintStory.reaching(state)
        if state == .investigating, action.name == .proposeSolution {
            try story.perform(.submitAnalysis(F.analysis), by: .staff(F.handler))
        }
        if action.name == .returnResult {
            try story.perform(.recordProgress(note: "已完成", workFinished: true, evidence: []), by: .staff(F.handler))
        }
        if action.name == .decideDelay {
            try story.perform(
                .requestDelay(reason: "客户出差", until: F.instant("2026-05-01T09:00:00+08:00")),
                by: .staff(F.agent)
            )
        }
        let error = story.error(of: action, by: .staff(F.everything))
        #expect(error == .validation(issues), "\(what)")
        #expect(error?.code == "validation.failed")
    }

    @Test("A proposal before any analysis fails with action.missing_prerequisite")
    func proposalNeedsAnalysis() throws {
        let story = try ComplaintStory.reaching(.investigating)
        let error = story.error(of: F.sample(.proposeSolution, now: story.nextInstant), by: .staff(F.handler))
        #expect(error == .missingPrerequisite(action: .proposeSolution, prerequisite: "submit_analysis"))
    }

    @Test("Validation messages name the fields in both languages")
    func messages() {
        let error = DomainError.validation([.required("comment"), .required("score")])
        #expect(error.message(in: .en) == "Some fields are not valid: comment, score")
        #expect(error.message(in: .zhHans) == "输入有误：comment, score")
    }

    static let errorCodes: [(DomainError, String)] = [
        (DomainError.validation([]), "validation.failed"), (.notAllowed(action: .close), "action.not_allowed"),
        (.wrongState(action: .close, state: .received), "action.wrong_state"), (.recused, "complaint.recused"),
        (.assigneeRecused(UserID("x")), "assignment.recused"),
        (
            .missingPrerequisite(action: .proposeSolution, prerequisite: "submit_analysis"),
            "action.missing_prerequisite"
        ),
        (.insufficientAuthority(required: .generalManager), "approval.insufficient_authority"),
        (.reopenWindowPassed, "reopen.window_passed"), (.noPendingDelay, "delay.none_pending"),
    ]

    @Test("Every error has its stable code and a message in both languages", arguments: errorCodes)
    func codes(error: DomainError, code: String) {
        #expect(error.code == code)
        #expect(!error.message(in: .zhHans).isEmpty && !error.message(in: .en).isEmpty)
    }
}
